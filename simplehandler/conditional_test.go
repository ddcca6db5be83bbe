package simplehandler

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// condMtime is the modification time of the file the precondition tests
// serve: half a second past 03:04:05, which every date comparison must
// ignore.
var condMtime = time.Date(2024, 1, 2, 3, 4, 5, 500_000_000, time.UTC)

const (
	condLM     = "Tue, 02 Jan 2024 03:04:05 GMT" // Last-Modified
	condBefore = "Mon, 01 Jan 2024 03:04:05 GMT" // a day before
	condAfter  = "Wed, 03 Jan 2024 03:04:05 GMT" // a day after
	condTag    = `"17a-d-5b2"`                   // the ETag in the unit tests
)

// condCases are the precondition combinations of RFC 9110 section 13.2.2,
// for a GET of a file whose ETag is E and Last-Modified condLM. "E" in a
// header value stands for the file's real tag in the end-to-end test, and
// for condTag in the unit test.
var condCases = []struct {
	name   string
	header [][2]string
	want   int // the status for GET (and HEAD)
}{
	{"none", nil, 200},

	// If-Match: strong comparison; false is 412.
	{"if-match equal", [][2]string{{"If-Match", "E"}}, 200},
	{"if-match other", [][2]string{{"If-Match", `"other"`}}, 412},
	{"if-match star", [][2]string{{"If-Match", "*"}}, 200},
	{"if-match weak never matches", [][2]string{{"If-Match", "W/E"}}, 412},
	{"if-match list", [][2]string{{"If-Match", `"a", W/"b",E`}}, 200},
	{"if-match list without the tag", [][2]string{{"If-Match", `"a", "b"`}}, 412},
	{"if-match over two lines", [][2]string{{"If-Match", `"a"`}, {"If-Match", "E"}}, 200},
	{"if-match not a tag", [][2]string{{"If-Match", "abc"}}, 412},
	{"if-match empty", [][2]string{{"If-Match", ""}}, 200},

	// If-Unmodified-Since, to the second; ignored when If-Match is there.
	{"ius equal", [][2]string{{"If-Unmodified-Since", condLM}}, 200},
	{"ius before", [][2]string{{"If-Unmodified-Since", condBefore}}, 412},
	{"ius after", [][2]string{{"If-Unmodified-Since", condAfter}}, 200},
	{"ius not a date", [][2]string{{"If-Unmodified-Since", "yesterday"}}, 200},
	{"ius numeric zone is not an http date", [][2]string{{"If-Unmodified-Since", "Mon, 01 Jan 2024 03:04:05 +0000"}}, 200},
	{"if-match true overrides ius", [][2]string{{"If-Match", "E"}, {"If-Unmodified-Since", condBefore}}, 200},
	{"if-match false with ius true", [][2]string{{"If-Match", `"x"`}, {"If-Unmodified-Since", condAfter}}, 412},

	// If-None-Match: weak comparison; false is 304 for GET and HEAD.
	{"inm equal", [][2]string{{"If-None-Match", "E"}}, 304},
	{"inm weak matches", [][2]string{{"If-None-Match", "W/E"}}, 304},
	{"inm other", [][2]string{{"If-None-Match", `"x"`}}, 200},
	{"inm star", [][2]string{{"If-None-Match", "*"}}, 304},
	{"inm list", [][2]string{{"If-None-Match", `"x", E`}}, 304},
	{"inm over two lines", [][2]string{{"If-None-Match", `"x"`}, {"If-None-Match", "E"}}, 304},
	{"inm not a tag", [][2]string{{"If-None-Match", "abc"}}, 200},

	// If-Modified-Since only without If-None-Match (Python's rule too).
	{"ims equal", [][2]string{{"If-Modified-Since", condLM}}, 304},
	{"ims after", [][2]string{{"If-Modified-Since", condAfter}}, 304},
	{"ims before", [][2]string{{"If-Modified-Since", condBefore}}, 200},
	{"ims not a date", [][2]string{{"If-Modified-Since", "yesterday"}}, 200},
	{"inm true turns ims off", [][2]string{{"If-None-Match", `"x"`}, {"If-Modified-Since", condAfter}}, 200},
	{"inm false with ims true", [][2]string{{"If-None-Match", "E"}, {"If-Modified-Since", condBefore}}, 304},
	{"empty inm turns ims off", [][2]string{{"If-None-Match", ""}, {"If-Modified-Since", condAfter}}, 200},

	// The order between the groups.
	{"if-match false before inm", [][2]string{{"If-Match", `"x"`}, {"If-None-Match", "E"}}, 412},
	{"ius false before inm", [][2]string{{"If-Unmodified-Since", condBefore}, {"If-None-Match", "E"}}, 412},
	{"ius false before ims", [][2]string{{"If-Unmodified-Since", condBefore}, {"If-Modified-Since", condAfter}}, 412},
	{"if-match true then inm false", [][2]string{{"If-Match", "E"}, {"If-None-Match", "E"}}, 304},
	{"if-match true then ims false", [][2]string{{"If-Match", "E"}, {"If-Modified-Since", condLM}}, 304},
	{"all true", [][2]string{{"If-Match", "E"}, {"If-Unmodified-Since", condAfter}, {"If-None-Match", `"x"`}}, 200},
}

// withTag replaces the placeholder E in the header values by tag.
func withTag(header [][2]string, tag string) [][2]string {
	out := make([][2]string, len(header))
	for i, h := range header {
		out[i] = [2]string{h[0], strings.ReplaceAll(h[1], "E", tag)}
	}
	return out
}

func TestCheckPreconditions(t *testing.T) {
	v := validators{etag: condTag, modtime: condMtime}
	for _, tc := range condCases {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{}
			for _, h := range withTag(tc.header, condTag) {
				header.Add(h[0], h[1])
			}
			want := tc.want
			if want == 200 {
				want = 0
			}
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				if got := checkPreconditions(header, method, v); got != want {
					t.Errorf("%s %v: got %d, want %d", method, header, got, want)
				}
			}
			// Any other method gets 412 where If-None-Match gives GET
			// 304, and If-Modified-Since does not apply to it.
			if want == 304 {
				want = 0
				if _, ok := header["If-None-Match"]; ok {
					want = 412
				}
			}
			if got := checkPreconditions(header, http.MethodDelete, v); got != want {
				t.Errorf("DELETE %v: got %d, want %d", header, got, want)
			}
		})
	}
}

func TestCheckIfRange(t *testing.T) {
	v := validators{etag: condTag, modtime: condMtime}
	for _, tc := range []struct {
		name  string
		lines []string
		want  condResult
	}{
		{"absent", nil, condNone},
		{"etag", []string{condTag}, condTrue},
		{"etag with white space", []string{" " + condTag + " "}, condTrue},
		{"other etag", []string{`"x"`}, condFalse},
		{"weak etag", []string{"W/" + condTag}, condFalse},
		{"etag list", []string{condTag + `, "x"`}, condFalse},
		{"date", []string{condLM}, condTrue},
		{"earlier date", []string{condBefore}, condFalse},
		{"later date", []string{condAfter}, condFalse},
		{"rfc 850 date", []string{"Tuesday, 02-Jan-24 03:04:05 GMT"}, condTrue},
		{"garbage", []string{"yesterday"}, condFalse},
		{"empty", []string{""}, condFalse},
		{"two lines", []string{condTag, condTag}, condFalse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{}
			if tc.lines != nil {
				header["If-Range"] = tc.lines
			}
			if got := checkIfRange(header, v); got != tc.want {
				t.Errorf("checkIfRange(%q): got %v, want %v", tc.lines, got, tc.want)
			}
		})
	}
}

func TestScanETag(t *testing.T) {
	for _, tc := range []struct{ in, tag, rest string }{
		{`"abc"`, `"abc"`, ""},
		{`W/"abc", "d"`, `W/"abc"`, `, "d"`},
		{`""`, `""`, ""},
		{`"a b"`, "", ""}, // a space is no etagc
		{`"abc`, "", ""},
		{`abc`, "", ""},
		{`w/"abc"`, "", ""},                        // W/ is case-sensitive
		{"\"caf\xc3\xa9\"", "\"caf\xc3\xa9\"", ""}, // obs-text
		{`*`, "", ""},
	} {
		tag, rest := scanETag(tc.in)
		if tag != tc.tag || rest != tc.rest {
			t.Errorf("scanETag(%q): got %q, %q; want %q, %q", tc.in, tag, rest, tc.tag, tc.rest)
		}
	}
}

// TestIfModifiedSinceDates checks the If-Modified-Since rules around a
// file modified at 08:49:37.9: dates to the second, the first field line,
// and If-None-Match turning it off.
func TestIfModifiedSinceDates(t *testing.T) {
	v := validators{etag: condTag, modtime: time.Date(1994, 11, 6, 8, 49, 37, 900_000_000, time.UTC)}
	for _, tc := range []struct {
		name   string
		header http.Header
		want   int
	}{
		{"none", nil, 0},
		{"equal to the second", http.Header{"If-Modified-Since": {"Sun, 06 Nov 1994 08:49:37 GMT"}}, 304},
		{"a second before", http.Header{"If-Modified-Since": {"Sun, 06 Nov 1994 08:49:36 GMT"}}, 0},
		{"later", http.Header{"If-Modified-Since": {"Mon, 07 Nov 1994 00:00:00 GMT"}}, 304},
		{"first of two", http.Header{"If-Modified-Since": {"Sun, 06 Nov 1994 08:49:37 GMT", "x"}}, 304},
		{"if-none-match", http.Header{"If-Modified-Since": {"Mon, 07 Nov 1994 00:00:00 GMT"}, "If-None-Match": {`"x"`}}, 0},
		{"ill-formed", http.Header{"If-Modified-Since": {"Sun, 06 Nov 1994"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkPreconditions(tc.header, http.MethodGet, v); got != tc.want {
				t.Errorf("checkPreconditions(%v): got %d, want %d", tc.header, got, tc.want)
			}
		})
	}
}

// TestPreconditions sends condCases over real sockets, both as raw
// HTTP/1.0 and through net/http's client on a kept-alive HTTP/1.1
// connection, and checks the heads of 304 and 412.
func TestPreconditions(t *testing.T) {
	dir, srv10, srv11 := serveFiles(t, map[string]fileSpec{"f.txt": {"Hello, world\n", condMtime}}, nil)
	etag := fileETagOf(t, filepath.Join(dir, "f.txt"))
	client := newClient(t)
	for _, tc := range condCases {
		header := withTag(tc.header, etag)
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				resp := get(t, srv10, method, "/f.txt", header...)
				if resp.status != tc.want {
					t.Fatalf("got %d %s, want %d", resp.status, resp.reason, tc.want)
				}
				switch tc.want {
				case 200:
					if got := resp.header.Get("ETag"); got != etag {
						t.Errorf("ETag: got %q, want %q", got, etag)
					}
					if method == http.MethodGet && string(resp.body) != "Hello, world\n" {
						t.Errorf("body: got %q", resp.body)
					}
				case 304:
					// Python's Server and Date, and the ETag RFC 9110
					// section 15.4.5 requires.
					if want := []string{"Server", "Date", "ETag"}; !slicesEqual(resp.fields, want) {
						t.Errorf("fields: got %q, want %q", resp.fields, want)
					}
					if got := resp.header.Get("ETag"); got != etag {
						t.Errorf("ETag: got %q, want %q", got, etag)
					}
					if len(resp.body) != 0 {
						t.Errorf("body: got %q, want none", resp.body)
					}
				case 412:
					if resp.reason != "Precondition Failed" {
						t.Errorf("reason: got %q", resp.reason)
					}
				}

				// The same on a kept-alive connection.
				c := serveCase{method: method, target: "/f.txt", header: header}
				got, err := netHTTPExchange(client, srv11.addr, &c)
				if err != nil {
					t.Fatal(err)
				}
				if got.status != tc.want {
					t.Errorf("HTTP/1.1: got %d, want %d", got.status, tc.want)
				}
			})
		}
	}
}

// TestETag checks that the tag changes with the file's time, its size
// and its inode, and that codings get tags of their own.
func TestETag(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	write := func(content string, mtime time.Time) string {
		t.Helper()
		writeFile(t, p, content, mtime)
		return fileETagOf(t, p)
	}
	base := write("abc", condMtime)
	if !strings.HasPrefix(base, `"`) || !strings.HasSuffix(base, `"`) || strings.HasPrefix(base, "W/") {
		t.Fatalf("ETag %s is not a strong entity-tag", base)
	}
	if tag, rest := scanETag(base); tag != base || rest != "" {
		t.Fatalf("ETag %s does not scan as an entity-tag", base)
	}
	if got := write("abc", condMtime); got != base {
		t.Errorf("same file, same tag: got %s, want %s", got, base)
	}
	if got := write("abc", condMtime.Add(time.Nanosecond)); got == base {
		t.Errorf("a nanosecond later: the tag %s did not change", got)
	}
	if got := write("abcd", condMtime); got == base {
		t.Errorf("a byte more: the tag %s did not change", got)
	}
	// A file replaced by rename, as editors save: same size, same time,
	// another inode.
	tmp := filepath.Join(dir, "tmp")
	writeFile(t, tmp, "abc", condMtime)
	before := write("abc", condMtime)
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, hasInodes := inode(info); fileETagOf(t, p) == before && hasInodes {
		t.Errorf("a file replaced by rename: the tag %s did not change", before)
	}
}
