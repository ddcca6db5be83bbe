package simplehandler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

func TestParseAcceptEncoding(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []coding
	}{
		{"", nil},
		{"gzip", []coding{codingGzip}},
		{"x-gzip", []coding{codingGzip}},
		{"GZIP", []coding{codingGzip}},
		{"gzip, deflate, br, zstd", []coding{codingZstd, codingBrotli, codingGzip}},
		{"zstd;q=0.5, gzip", []coding{codingGzip, codingZstd}},
		{"gzip;q=0.8, br;q=0.9, zstd;q=0.1", []coding{codingBrotli, codingGzip, codingZstd}},
		{"gzip;q=0", nil},
		{"gzip ; q=0.000", nil},
		{"gzip;Q=1.0", []coding{codingGzip}},
		{"gzip;q=1.001", nil}, // not a qvalue: never selects
		{"gzip;q=abc", nil},
		{"gzip;q=0.5, identity", nil}, // identity is preferred
		{"gzip;q=0.5, identity;q=0.5", []coding{codingGzip}},
		{"*", []coding{codingZstd, codingBrotli, codingGzip}},
		{"*;q=0.5, gzip", []coding{codingGzip, codingZstd, codingBrotli}},
		{"*, gzip;q=0", []coding{codingZstd, codingBrotli}},
		{"identity", nil},
		{"deflate, compress", nil},
		{" , gzip ,, ", []coding{codingGzip}},
	} {
		got := parseAcceptEncoding([]string{tc.in})
		if fmt.Sprint(got.all()) != fmt.Sprint(tc.want) {
			t.Errorf("parseAcceptEncoding(%q): got %v, want %v", tc.in, got.all(), tc.want)
		}
	}
	// Field lines form one list.
	if got := parseAcceptEncoding([]string{"gzip;q=0.5", "zstd"}); fmt.Sprint(got.all()) != fmt.Sprint([]coding{codingZstd, codingGzip}) {
		t.Errorf("two lines: got %v", got.all())
	}
}

func TestCompressibleType(t *testing.T) {
	for _, tc := range []struct {
		ctype, name string
		want        bool
	}{
		{"text/plain; charset=utf-8", "a.txt", true},
		{"text/html; charset=utf-8", "a.html", true},
		{"text/javascript; charset=utf-8", "a.js", true},
		{"application/json; charset=utf-8", "a.json", true},
		{"image/svg+xml; charset=utf-8", "a.svg", true},
		{"application/wasm", "a.wasm", true},
		{"application/ld+json", "a.jsonld", true},
		{"image/png", "a.png", false},
		{"image/jpeg", "a.jpg", false},
		{"video/mp4", "a.mp4", false},
		{"application/gzip", "a.gz", false},
		{"application/zip", "a.zip", false},
		{"font/woff2", "a.woff2", false},
		{"application/octet-stream", "a.bin", false},
		{"image/svg+xml; charset=utf-8", "a.svgz", false},    // gzip bytes Python types as SVG
		{"text/javascript; charset=utf-8", "a.js.br", false}, // brotli bytes
		{"application/x-tar", "a.tar.zst", false},
	} {
		if got := compressibleType(tc.ctype, tc.name); got != tc.want {
			t.Errorf("compressibleType(%q, %q): got %v, want %v", tc.ctype, tc.name, got, tc.want)
		}
	}
}

// compressFixture holds files around the threshold and precompressed
// siblings whose bytes differ from what compressing on the fly makes, so
// a test can tell which it got.
func compressFixture() map[string]fileSpec {
	js := strings.Repeat("function f(x) { return x * 2; } // some JavaScript\n", 80)
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	newer := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	return map[string]fileSpec{
		"app.js":         {js, newer},
		"tiny.js":        {"let a = 1;\n", newer},
		"image.png":      {"\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 4000), newer},
		"style.css":      {strings.Repeat("p { color: red }\n", 100), newer},
		"style.css.gz":   {gzipBytes("precompressed gzip\n"), newer},
		"style.css.zst":  {zstdBytes("precompressed zstd\n"), newer},
		"style.css.br":   {"not really brotli\n", newer},
		"stale.txt":      {strings.Repeat("fresh text\n", 200), newer},
		"stale.txt.gz":   {gzipBytes("stale\n"), old},
		"photo.jpg":      {"\xff\xd8\xff" + strings.Repeat("x", 2000), newer},
		"photo.jpg.gz":   {gzipBytes("jpeg, gzipped\n"), newer},
		"dir/index.html": {strings.Repeat("<p>index</p>\n", 200), newer},
		"many/x":         {"", newer},
		"small/a.txt":    {"a\n", newer},
	}
}

func gzipBytes(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	io.WriteString(zw, s)
	zw.Close()
	return b.String()
}

func zstdBytes(s string) string {
	enc, _ := zstd.NewWriter(nil)
	defer enc.Close()
	return string(enc.EncodeAll([]byte(s), nil))
}

// decode undoes a content coding.
func decode(t *testing.T, c string, body []byte) []byte {
	t.Helper()
	switch c {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		return out
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("zstd: %v", err)
		}
		defer zr.Close()
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("zstd: %v", err)
		}
		return out
	case "br":
		return body // the fixture's .br is not really brotli
	}
	t.Fatalf("unknown coding %q", c)
	return nil
}

// TestCompress sends requests with Accept-Encoding to a Compress handler,
// over raw HTTP/1.0 (the body delimited by closing) and through net/http's
// client on kept-alive HTTP/1.1 (the body chunked), and decodes what comes
// back.
func TestCompress(t *testing.T) {
	files := compressFixture()
	for i := range 60 {
		files[fmt.Sprintf("many/file-with-a-long-name-%02d.txt", i)] = fileSpec{"x", time.Time{}}
	}
	_, srv10, srv11 := serveFiles(t, files, func(h *Handler) { h.Compress = true })
	_, plain, _ := serveFiles(t, files, nil)
	client := newClient(t)
	listingBody := get(t, srv10, "GET", "/many/").body

	const (
		onTheFly = iota + 1
		sibling
	)
	for _, tc := range []struct {
		name, target, ae string
		header           [][2]string
		srv              *testServer // srv10 when nil
		wantStatus       int         // 200 when 0
		wantCoding       string
		wantBody         string // the decoded body; the file when empty
		wantVary         bool
		kind             int // onTheFly or sibling, when wantCoding is set
	}{
		{name: "gzip", target: "/app.js", ae: "gzip", wantCoding: "gzip", wantVary: true, kind: onTheFly},
		{name: "zstd", target: "/app.js", ae: "zstd", wantCoding: "zstd", wantVary: true, kind: onTheFly},
		{name: "browser", target: "/app.js", ae: "gzip, deflate, br, zstd", wantCoding: "zstd", wantVary: true, kind: onTheFly},
		{name: "q-values", target: "/app.js", ae: "zstd;q=0.5, gzip", wantCoding: "gzip", wantVary: true, kind: onTheFly},
		{name: "star", target: "/app.js", ae: "*", wantCoding: "zstd", wantVary: true, kind: onTheFly},
		{name: "refused", target: "/app.js", ae: "gzip;q=0", wantVary: true},
		{name: "identity", target: "/app.js", ae: "identity", wantVary: true},
		{name: "identity preferred", target: "/app.js", ae: "gzip;q=0.5, identity", wantVary: true},
		{name: "unknown codings", target: "/app.js", ae: "deflate, compress", wantVary: true},
		{name: "no accept-encoding", target: "/app.js", wantVary: true},
		{name: "range", target: "/app.js", ae: "gzip, zstd", header: [][2]string{{"Range", "bytes=0-9"}},
			wantStatus: 206, wantBody: "function f", wantVary: true},
		{name: "tiny file", target: "/tiny.js", ae: "gzip"},
		{name: "png", target: "/image.png", ae: "gzip"},
		{name: "index.html", target: "/dir/", ae: "gzip", wantCoding: "gzip", wantVary: true, kind: onTheFly},
		{name: "sibling gz", target: "/style.css", ae: "gzip", wantCoding: "gzip", wantBody: "precompressed gzip\n", wantVary: true, kind: sibling},
		{name: "sibling zst", target: "/style.css", ae: "gzip, zstd", wantCoding: "zstd", wantBody: "precompressed zstd\n", wantVary: true, kind: sibling},
		{name: "sibling br", target: "/style.css", ae: "br", wantCoding: "br", wantBody: "not really brotli\n", wantVary: true, kind: sibling},
		{name: "sibling by q-value", target: "/style.css", ae: "br;q=0.9, gzip", wantCoding: "gzip", wantBody: "precompressed gzip\n", wantVary: true, kind: sibling},
		{name: "sibling not accepted", target: "/style.css", ae: "deflate", wantVary: true},
		{name: "stale sibling", target: "/stale.txt", ae: "gzip", wantCoding: "gzip", wantVary: true, kind: onTheFly},
		{name: "sibling of an incompressible type", target: "/photo.jpg", ae: "gzip", wantCoding: "gzip", wantBody: "jpeg, gzipped\n", wantVary: true, kind: sibling},
		{name: "incompressible type without accept", target: "/photo.jpg"},
		{name: "sibling asked for itself", target: "/style.css.gz", ae: "gzip", wantBody: gzipBytes("precompressed gzip\n")},
		{name: "listing", target: "/many/", ae: "gzip", wantCoding: "gzip", wantBody: string(listingBody), wantVary: true},
		{name: "listing zstd", target: "/many/", ae: "zstd", wantCoding: "zstd", wantBody: string(listingBody), wantVary: true},
		{name: "short listing", target: "/small/", ae: "gzip", wantVary: true, wantBody: "-"},

		{name: "off: file", target: "/app.js", ae: "gzip, zstd", srv: plain},
		{name: "off: sibling", target: "/style.css", ae: "gzip, zstd", srv: plain},
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			for _, mode := range []string{"raw", "net/http"} {
				t.Run(tc.name+"/"+method+"/"+mode, func(t *testing.T) {
					header := tc.header
					if tc.ae != "" {
						header = append(header[:len(header):len(header)], [2]string{"Accept-Encoding", tc.ae})
					}
					srv := tc.srv
					if srv == nil {
						srv = srv10
					}
					var resp *response
					if mode == "raw" {
						resp = get(t, srv, method, tc.target, header...)
					} else {
						if srv != srv10 {
							t.Skip("the HTTP/1.1 server is the Compress one")
						}
						var err error
						if resp, err = netHTTPExchange(client, srv11.addr, &serveCase{method: method, target: tc.target, header: header}); err != nil {
							t.Fatal(err)
						}
					}
					wantStatus := tc.wantStatus
					if wantStatus == 0 {
						wantStatus = 200
					}
					if resp.status != wantStatus {
						t.Fatalf("got %d %s, want %d", resp.status, resp.reason, wantStatus)
					}
					if got := resp.header.Get("Content-Encoding"); got != tc.wantCoding {
						t.Errorf("Content-Encoding: got %q, want %q", got, tc.wantCoding)
					}
					vary := resp.header.Get("Vary")
					if hasVary := strings.Contains(vary, "Accept-Encoding"); hasVary != tc.wantVary {
						t.Errorf("Vary: got %q, want Accept-Encoding %v", vary, tc.wantVary)
					}
					etag := resp.header.Get("ETag")
					cl := resp.header.Get("Content-Length")
					switch tc.kind {
					case onTheFly:
						if cl != "" {
							t.Errorf("Content-Length %s on a body compressed on the fly", cl)
						}
						if etag != "" && !strings.HasSuffix(etag, "-"+tc.wantCoding+`"`) {
							t.Errorf("ETag %s does not name the coding", etag)
						}
					case sibling:
						if cl == "" {
							t.Errorf("no Content-Length on a precompressed sibling")
						}
					}
					if method == http.MethodHead {
						return
					}
					if tc.wantBody == "-" {
						return
					}
					body := decode(t, tc.wantCoding, resp.body)
					want := tc.wantBody
					if want == "" {
						want = files[strings.TrimPrefix(tc.target, "/")].content
						if tc.target == "/dir/" {
							want = files["dir/index.html"].content
						}
					}
					if string(body) != want {
						t.Errorf("body: got %d bytes %.80q, want %d bytes %.80q", len(body), body, len(want), want)
					}
				})
			}
		}
	}
}

// TestCompressHeadMatchesGet checks that HEAD of a compressed resource
// gets GET's head: the coding, Vary, ETag, and no Content-Length.
func TestCompressHeadMatchesGet(t *testing.T) {
	_, srv10, _ := serveFiles(t, compressFixture(), func(h *Handler) { h.Compress = true })
	for _, target := range []string{"/app.js", "/style.css", "/stale.txt", "/dir/", "/image.png"} {
		for _, ae := range []string{"gzip", "zstd", "gzip, zstd, br", ""} {
			g := get(t, srv10, http.MethodGet, target, [2]string{"Accept-Encoding", ae})
			h := get(t, srv10, http.MethodHead, target, [2]string{"Accept-Encoding", ae})
			if g.status != h.status || !slicesEqual(g.fields, h.fields) {
				t.Errorf("%s %q: GET %d %q, HEAD %d %q", target, ae, g.status, g.fields, h.status, h.fields)
			}
			for _, k := range []string{"Content-Encoding", "Content-Length", "Vary", "ETag", "Content-type"} {
				if g.header.Get(k) != h.header.Get(k) {
					t.Errorf("%s %q: %s: GET %q, HEAD %q", target, ae, k, g.header.Get(k), h.header.Get(k))
				}
			}
		}
	}
}

// TestCompressConditional checks that each coding is revalidated with its
// own tag, and that a 304 carries Vary.
func TestCompressConditional(t *testing.T) {
	_, srv, _ := serveFiles(t, compressFixture(), func(h *Handler) { h.Compress = true })
	tags := map[string]string{}
	for _, ae := range []string{"", "gzip", "zstd"} {
		tags[ae] = get(t, srv, "GET", "/app.js", [2]string{"Accept-Encoding", ae}).header.Get("ETag")
	}
	if tags[""] == tags["gzip"] || tags["gzip"] == tags["zstd"] || tags[""] == tags["zstd"] {
		t.Fatalf("codings share a tag: %q", tags)
	}
	for _, tc := range []struct {
		ae, inm string
		want    int
	}{
		{"gzip", tags["gzip"], 304},
		{"zstd", tags["zstd"], 304},
		{"", tags[""], 304},
		{"gzip", tags[""], 200}, // the client has the identity bytes, and now takes gzip
		{"", tags["gzip"], 200}, // the other way round
		{"zstd", tags["gzip"], 200},
		{"gzip", tags["gzip"] + ", " + tags[""], 304},
	} {
		resp := get(t, srv, "GET", "/app.js", [2]string{"Accept-Encoding", tc.ae}, [2]string{"If-None-Match", tc.inm})
		if resp.status != tc.want {
			t.Errorf("Accept-Encoding %q, If-None-Match %s: got %d, want %d", tc.ae, tc.inm, resp.status, tc.want)
			continue
		}
		if tc.want == 304 {
			if resp.header.Get("Vary") != "Accept-Encoding" || resp.header.Get("ETag") != tags[tc.ae] {
				t.Errorf("304 head: %q, want Vary: Accept-Encoding and ETag %s", resp.fields, tags[tc.ae])
			}
		}
	}
	// If-Range with the gzip tag cannot match: a Range gets the identity.
	resp := get(t, srv, "GET", "/app.js", [2]string{"Accept-Encoding", "gzip"}, [2]string{"Range", "bytes=0-9"},
		[2]string{"If-Range", tags["gzip"]})
	if resp.status != 200 || resp.header.Get("Content-Encoding") != "" {
		t.Errorf("Range with If-Range of the gzip tag: got %d %q, want 200 identity", resp.status, resp.header.Get("Content-Encoding"))
	}
}
