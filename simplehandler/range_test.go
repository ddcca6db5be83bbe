package simplehandler

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rangeSize is the size of the file the range tests serve.
const rangeSize = 1000

// rangeCases are the Range forms of RFC 9110 section 14, for a file of
// rangeSize bytes. want lists the ranges of a 206 as {first, last}
// (several make a multipart body, in that order); wantStatus 200 means
// the field is ignored and the whole file sent.
var rangeCases = []struct {
	name       string
	value      string
	wantStatus int
	want       [][2]int64
}{
	{"first 100", "bytes=0-99", 206, [][2]int64{{0, 99}}},
	{"suffix", "bytes=-500", 206, [][2]int64{{500, 999}}},
	{"open-ended", "bytes=100-", 206, [][2]int64{{100, 999}}},
	{"first byte", "bytes=0-0", 206, [][2]int64{{0, 0}}},
	{"last byte", "bytes=999-", 206, [][2]int64{{999, 999}}},
	{"last byte as suffix", "bytes=-1", 206, [][2]int64{{999, 999}}},
	{"whole file", "bytes=0-", 206, [][2]int64{{0, 999}}},
	{"last-pos past the end", "bytes=990-2000", 206, [][2]int64{{990, 999}}},
	{"suffix longer than the file", "bytes=-5000", 206, [][2]int64{{0, 999}}},
	{"last-pos beyond int64", "bytes=10-99999999999999999999999", 206, [][2]int64{{10, 999}}},
	{"unit in capitals", "BYTES=0-9", 206, [][2]int64{{0, 9}}},
	{"white space around commas", "bytes= 0-1 ,\t5-6 ", 206, [][2]int64{{0, 1}, {5, 6}}},
	{"empty elements", "bytes=,0-1,,5-6,", 206, [][2]int64{{0, 1}, {5, 6}}},
	{"two ranges", "bytes=0-9,20-29", 206, [][2]int64{{0, 9}, {20, 29}}},
	{"two ranges, client's order", "bytes=20-29,0-9", 206, [][2]int64{{20, 29}, {0, 9}}},
	{"first and last byte", "bytes=0-0,-1", 206, [][2]int64{{0, 0}, {999, 999}}},
	{"overlapping ranges coalesce", "bytes=0-9,5-19", 206, [][2]int64{{0, 19}}},
	{"adjacent ranges coalesce", "bytes=0-9,10-19", 206, [][2]int64{{0, 19}}},
	{"contained range coalesces", "bytes=0-99,10-19", 206, [][2]int64{{0, 99}}},
	{"coalesced in file order", "bytes=50-59,5-19,0-9", 206, [][2]int64{{0, 19}, {50, 59}}},
	{"suffix overlapping the end", "bytes=900-949,-100", 206, [][2]int64{{900, 999}}},
	{"unsatisfiable range dropped", "bytes=2000-,0-9", 206, [][2]int64{{0, 9}}},
	{"sixteen parts", "bytes=" + everyOther(16), 206, everyOtherWant(16)},
	{"hundreds of overlapping ranges become one", "bytes=" + strings.Repeat("0-999,", 100) + "0-999", 206, [][2]int64{{0, 999}}},

	{"suffix of zero", "bytes=-0", 416, nil},
	{"first-pos at the end", "bytes=1000-", 416, nil},
	{"first-pos past the end", "bytes=1000-1001", 416, nil},
	{"first-pos beyond int64", "bytes=99999999999999999999999-", 416, nil},
	{"all unsatisfiable", "bytes=2000-,3000-3001,-0", 416, nil},

	{"last before first", "bytes=5-3", 200, nil},
	{"last before first among good ones", "bytes=0-1,5-3", 200, nil},
	{"unknown unit", "items=0-1", 200, nil},
	{"no equals sign", "bytes", 200, nil},
	{"no ranges", "bytes=", 200, nil},
	{"not numbers", "bytes=a-b", 200, nil},
	{"dash alone", "bytes=-", 200, nil},
	{"two dashes", "bytes=1-2-3", 200, nil},
	{"space inside a range", "bytes=0 - 1", 200, nil},
	{"space before equals", "bytes =0-1", 200, nil},
	{"negative", "bytes=--1", 200, nil},
	{"plus sign", "bytes=+1-2", 200, nil},
	{"seventeen parts", "bytes=" + everyOther(17), 200, nil},
	{"too many ranges to read", "bytes=" + strings.Repeat("0-0,", 200) + "0-0", 200, nil},
}

// everyOther is n one-byte ranges with a byte between each: 0-0,2-2,...
func everyOther(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%d-%d", 2*i, 2*i)
	}
	return strings.Join(s, ",")
}

func everyOtherWant(n int) [][2]int64 {
	w := make([][2]int64, n)
	for i := range w {
		w[i] = [2]int64{int64(2 * i), int64(2 * i)}
	}
	return w
}

func TestParseRange(t *testing.T) {
	for _, tc := range rangeCases {
		t.Run(tc.name, func(t *testing.T) {
			got, outcome := parseRange(tc.value, rangeSize, nil)
			wantOutcome := map[int]rangeOutcome{200: rangeIgnored, 206: rangeSatisfiable, 416: rangeUnsatisfiable}[tc.wantStatus]
			if outcome != wantOutcome {
				t.Fatalf("parseRange(%q): outcome %d, want %d", tc.value, outcome, wantOutcome)
			}
			if outcome != rangeSatisfiable {
				return
			}
			var gotPairs [][2]int64
			for _, r := range got {
				gotPairs = append(gotPairs, [2]int64{r.start, r.start + r.length - 1})
			}
			if fmt.Sprint(gotPairs) != fmt.Sprint(tc.want) {
				t.Errorf("parseRange(%q): got %v, want %v", tc.value, gotPairs, tc.want)
			}
		})
	}
}

// TestParseRangeEmptyFile checks the ranges of an empty file, where no
// 206 is possible: a suffix is ignored, anything else unsatisfiable.
func TestParseRangeEmptyFile(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  rangeOutcome
	}{
		{"bytes=0-", rangeUnsatisfiable},
		{"bytes=0-0", rangeUnsatisfiable},
		{"bytes=-0", rangeUnsatisfiable},
		{"bytes=-5", rangeIgnored},
		{"bytes=0-1,-5", rangeIgnored},
		{"bytes=5-3", rangeIgnored},
	} {
		if _, got := parseRange(tc.value, 0, nil); got != tc.want {
			t.Errorf("parseRange(%q, 0): got %d, want %d", tc.value, got, tc.want)
		}
	}
}

// rangeFixture serves data.bin, rangeSize pseudo-random bytes, and an
// empty file, and returns the data, the file's ETag and the servers.
func rangeFixture(t *testing.T) (data []byte, etag string, srv10, srv11 *testServer) {
	t.Helper()
	data = make([]byte, rangeSize)
	rand.NewChaCha8([32]byte{2}).Read(data)
	dir, srv10, srv11 := serveFiles(t, map[string]fileSpec{
		"data.txt":  {string(asText(data)), condMtime},
		"empty.txt": {"", condMtime},
		"sub/x.txt": {"x", condMtime},
	}, nil)
	return asText(data), fileETagOf(t, filepath.Join(dir, "data.txt")), srv10, srv11
}

// asText maps bytes onto letters, so that a failing comparison prints
// readably and the type is text/plain; charset=utf-8.
func asText(b []byte) []byte {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = letters[int(c)%len(letters)]
	}
	return out
}

// checkRangeResponse checks a response against a rangeCases entry: the
// status, and the bytes of every part, a multipart body parsed back with
// mime/multipart.
func checkRangeResponse(t *testing.T, resp *response, method string, data []byte, wantStatus int, want [][2]int64) {
	t.Helper()
	if resp.status != wantStatus {
		t.Fatalf("status: got %d %s, want %d", resp.status, resp.reason, wantStatus)
	}
	if got := resp.header.Get("Accept-Ranges"); wantStatus != 416 && got != "bytes" {
		t.Errorf("Accept-Ranges: got %q, want bytes", got)
	}
	head := method == http.MethodHead
	if !head {
		if cl := resp.header.Get("Content-Length"); cl != strconv.Itoa(len(resp.body)) {
			t.Errorf("Content-Length %s, but the body has %d bytes", cl, len(resp.body))
		}
	}
	switch wantStatus {
	case 200:
		if resp.header.Get("Content-Range") != "" {
			t.Errorf("Content-Range %q on a 200", resp.header.Get("Content-Range"))
		}
		if !head && !bytes.Equal(resp.body, data) {
			t.Errorf("body: got %d bytes, want the whole file", len(resp.body))
		}
	case 416:
		if got, want := resp.header.Get("Content-Range"), fmt.Sprintf("bytes */%d", len(data)); got != want {
			t.Errorf("Content-Range: got %q, want %q", got, want)
		}
	case 206:
		if len(want) == 1 {
			r := want[0]
			if got, w := resp.header.Get("Content-Range"), fmt.Sprintf("bytes %d-%d/%d", r[0], r[1], len(data)); got != w {
				t.Errorf("Content-Range: got %q, want %q", got, w)
			}
			if got := resp.header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type: got %q", got)
			}
			if !head && !bytes.Equal(resp.body, data[r[0]:r[1]+1]) {
				t.Errorf("body: got %q, want bytes %d-%d", resp.body, r[0], r[1])
			}
			return
		}
		mediaType, params, err := mime.ParseMediaType(resp.header.Get("Content-Type"))
		if err != nil || mediaType != "multipart/byteranges" || params["boundary"] == "" {
			t.Fatalf("Content-Type: got %q (%v), want multipart/byteranges with a boundary", resp.header.Get("Content-Type"), err)
		}
		if resp.header.Get("Content-Range") != "" {
			t.Errorf("Content-Range %q on a multipart response", resp.header.Get("Content-Range"))
		}
		if head {
			return
		}
		mr := multipart.NewReader(bytes.NewReader(resp.body), params["boundary"])
		for i := 0; ; i++ {
			part, err := mr.NextPart()
			if err == io.EOF {
				if i != len(want) {
					t.Errorf("got %d parts, want %d", i, len(want))
				}
				break
			}
			if err != nil {
				t.Fatalf("part %d: %v", i, err)
			}
			if i >= len(want) {
				t.Fatalf("part %d: want only %d parts", i, len(want))
			}
			r := want[i]
			if got, w := part.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-%d/%d", r[0], r[1], len(data)); got != w {
				t.Errorf("part %d: Content-Range: got %q, want %q", i, got, w)
			}
			if got := part.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
				t.Errorf("part %d: Content-Type: got %q", i, got)
			}
			body, err := io.ReadAll(part)
			if err != nil {
				t.Fatalf("part %d: %v", i, err)
			}
			if !bytes.Equal(body, data[r[0]:r[1]+1]) {
				t.Errorf("part %d: got %q, want bytes %d-%d", i, body, r[0], r[1])
			}
		}
		// Nothing after the closing boundary but its line end.
		if !bytes.HasSuffix(resp.body, []byte("--"+params["boundary"]+"--\r\n")) {
			t.Errorf("body does not end with the closing boundary: %q", resp.body[max(0, len(resp.body)-80):])
		}
	}
}

// TestRange sends every rangeCases entry over real sockets, GET and HEAD,
// as raw HTTP/1.0 and through net/http's client on a kept-alive HTTP/1.1
// connection, where a miscounted Content-Length would garble the next
// answer.
func TestRange(t *testing.T) {
	data, _, srv10, srv11 := rangeFixture(t)
	client := newClient(t)
	for _, mode := range []string{"raw", "net/http"} {
		for _, tc := range rangeCases {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				t.Run(mode+"/"+tc.name+"/"+method, func(t *testing.T) {
					header := [][2]string{{"Range", tc.value}}
					var resp *response
					if mode == "raw" {
						resp = get(t, srv10, method, "/data.txt", header...)
					} else {
						var err error
						if resp, err = netHTTPExchange(client, srv11.addr, &serveCase{method: method, target: "/data.txt", header: header}); err != nil {
							t.Fatal(err)
						}
					}
					checkRangeResponse(t, resp, method, data, tc.wantStatus, tc.want)
				})
			}
		}
	}
}

// TestRangeHeadMatchesGet checks that HEAD with Range gets the head GET
// gets, 206, Content-Range and Content-Length included.
func TestRangeHeadMatchesGet(t *testing.T) {
	_, _, srv10, _ := rangeFixture(t)
	for _, value := range []string{"bytes=0-99", "bytes=0-9,20-29", "bytes=5000-", "bytes=5-3"} {
		g := get(t, srv10, http.MethodGet, "/data.txt", [2]string{"Range", value})
		h := get(t, srv10, http.MethodHead, "/data.txt", [2]string{"Range", value})
		if g.status != h.status || !slicesEqual(g.fields, h.fields) {
			t.Errorf("%s: GET %d %q, HEAD %d %q", value, g.status, g.fields, h.status, h.fields)
		}
		for _, k := range []string{"Content-Length", "Content-Range", "ETag", "Last-Modified", "Accept-Ranges"} {
			if g.header.Get(k) != h.header.Get(k) {
				t.Errorf("%s: %s: GET %q, HEAD %q", value, k, g.header.Get(k), h.header.Get(k))
			}
		}
	}
}

// TestIfRange checks If-Range with both kinds of validator: a match
// honours the Range (206), anything else sends the whole file (200).
func TestIfRange(t *testing.T) {
	data, etag, srv10, _ := rangeFixture(t)
	for _, tc := range []struct {
		name    string
		ifRange string
		want    int
	}{
		{"etag matches", etag, 206},
		{"etag differs", `"other"`, 200},
		{"weak etag", "W/" + etag, 200},
		{"date matches", condLM, 206},
		{"date before", condBefore, 200},
		{"date after", condAfter, 200},
		{"not a validator", "yesterday", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := get(t, srv10, http.MethodGet, "/data.txt", [2]string{"Range", "bytes=10-19"}, [2]string{"If-Range", tc.ifRange})
			var want [][2]int64
			if tc.want == 206 {
				want = [][2]int64{{10, 19}}
			}
			checkRangeResponse(t, resp, http.MethodGet, data, tc.want, want)
		})
	}
	t.Run("without range", func(t *testing.T) {
		resp := get(t, srv10, http.MethodGet, "/data.txt", [2]string{"If-Range", etag})
		checkRangeResponse(t, resp, http.MethodGet, data, 200, nil)
	})
	t.Run("if-none-match first", func(t *testing.T) {
		resp := get(t, srv10, http.MethodGet, "/data.txt", [2]string{"Range", "bytes=10-19"}, [2]string{"If-Range", etag},
			[2]string{"If-None-Match", etag})
		if resp.status != 304 {
			t.Errorf("got %d, want 304", resp.status)
		}
	})
}

// TestRangeElsewhere checks what ranges do not apply to: listings,
// redirects, two Range fields, and an empty file.
func TestRangeElsewhere(t *testing.T) {
	_, _, srv10, _ := rangeFixture(t)
	for _, tc := range []struct {
		name, target string
		header       [][2]string
		want         int
		wantRange    string
	}{
		{"listing", "/", [][2]string{{"Range", "bytes=0-9"}}, 200, ""},
		{"redirect", "/sub", [][2]string{{"Range", "bytes=0-9"}}, 301, ""},
		{"missing", "/nope", [][2]string{{"Range", "bytes=0-9"}}, 404, ""},
		{"two range fields", "/data.txt", [][2]string{{"Range", "bytes=0-9"}, {"Range", "bytes=20-29"}}, 200, ""},
		{"empty file, from 0", "/empty.txt", [][2]string{{"Range", "bytes=0-"}}, 416, "bytes */0"},
		{"empty file, suffix", "/empty.txt", [][2]string{{"Range", "bytes=-5"}}, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := get(t, srv10, http.MethodGet, tc.target, tc.header...)
			if resp.status != tc.want || resp.header.Get("Content-Range") != tc.wantRange {
				t.Errorf("got %d with Content-Range %q, want %d with %q", resp.status, resp.header.Get("Content-Range"), tc.want, tc.wantRange)
			}
		})
	}
}

// TestRangeBigFile fetches the big fixture file in pieces that cross the
// sendfile chunk and socket buffer sizes, singly and as multipart.
func TestRangeBigFile(t *testing.T) {
	f := newFixture(t)
	srv := startServer(t, newHandler(t, f.root, false), "HTTP/1.1")
	client := newClient(t)
	size := int64(len(f.big))
	for _, tc := range []struct {
		value string
		want  [][2]int64
	}{
		{"bytes=1-", [][2]int64{{1, size - 1}}},
		{"bytes=-5000000", [][2]int64{{size - 5000000, size - 1}}},
		{"bytes=100-4194404", [][2]int64{{100, 4194404}}},
		{"bytes=0-3000000,5000000-", [][2]int64{{0, 3000000}, {5000000, size - 1}}},
		{"bytes=7000000-7000099,-1,0-0", [][2]int64{{7000000, 7000099}, {size - 1, size - 1}, {0, 0}}},
	} {
		t.Run(tc.value, func(t *testing.T) {
			resp, err := netHTTPExchange(client, srv.addr, &serveCase{method: http.MethodGet, target: "/big.bin", header: [][2]string{{"Range", tc.value}}})
			if err != nil {
				t.Fatal(err)
			}
			checkBigRange(t, resp, f.big, tc.want)
		})
	}
}

// checkBigRange is checkRangeResponse for application/octet-stream data.
func checkBigRange(t *testing.T, resp *response, data []byte, want [][2]int64) {
	t.Helper()
	if resp.status != 206 {
		t.Fatalf("status %d, want 206", resp.status)
	}
	if len(want) == 1 {
		if !bytes.Equal(resp.body, data[want[0][0]:want[0][1]+1]) {
			t.Errorf("body: %d bytes differ from bytes %d-%d", len(resp.body), want[0][0], want[0][1])
		}
		return
	}
	_, params, _ := mime.ParseMediaType(resp.header.Get("Content-Type"))
	mr := multipart.NewReader(bytes.NewReader(resp.body), params["boundary"])
	for i, r := range want {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		body, _ := io.ReadAll(part)
		if !bytes.Equal(body, data[r[0]:r[1]+1]) {
			t.Errorf("part %d: %d bytes differ from bytes %d-%d", i, len(body), r[0], r[1])
		}
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("after %d parts: %v, want io.EOF", len(want), err)
	}
}

// FuzzParseRange checks parseRange's promises on any field value: it
// never panics, every range lies inside the file and holds a byte, there
// are at most maxRanges of them, and no two overlap or touch, so the
// parts never add up to more than the file: a Range field cannot amplify
// traffic.
func FuzzParseRange(f *testing.F) {
	for _, tc := range rangeCases {
		f.Add(tc.value, int64(rangeSize))
	}
	f.Add("bytes=-5", int64(0))
	f.Add("bytes=0-", int64(1))
	f.Fuzz(func(t *testing.T, value string, size int64) {
		if size < 0 {
			size = -(size + 1)
		}
		ranges, outcome := parseRange(value, size, nil)
		if outcome != rangeSatisfiable {
			if len(ranges) != 0 {
				t.Fatalf("outcome %d with ranges %v", outcome, ranges)
			}
			return
		}
		if len(ranges) == 0 || len(ranges) > maxRanges {
			t.Fatalf("%d ranges", len(ranges))
		}
		var total int64
		for i, r := range ranges {
			if r.start < 0 || r.length <= 0 || r.start > size-r.length {
				t.Fatalf("range %d %+v outside a file of %d bytes", i, r, size)
			}
			for _, o := range ranges[:i] {
				if r.start <= o.start+o.length && o.start <= r.start+r.length {
					t.Fatalf("ranges %+v and %+v overlap or touch", o, r)
				}
			}
			total += r.length
		}
		if total > size {
			t.Fatalf("%d bytes of ranges in a file of %d", total, size)
		}
	})
}
