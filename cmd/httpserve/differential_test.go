package main

// The differential test: python3 -m http.server and httpserve serve the same
// fixture tree, every request goes to both, and the answers are compared:
// status code, reason phrase, the headers that matter and the body
// (listings link by link). Where httpserve differs on purpose, the case
// names the difference and asserts httpserve's side of it; the list of
// differences is diffDeliberate, and README.md's table mirrors it.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// diffDeliberate lists every deliberate difference the differential test
// exercises, keyed by the name its cases use.
var diffDeliberate = map[string]string{
	"charset":       "text types carry charset=utf-8",
	"sniff":         "a file without a known extension is sniffed instead of application/octet-stream",
	"nosniff":       "X-Content-Type-Options: nosniff on files",
	"symlink-out":   "a symlink leading outside the directory is refused (404) without --follow-symlinks",
	"status-line":   "a malformed request line is answered with a status line, not a bare page",
	"host":          "an HTTP/1.1 request without Host is a 400 (RFC 9112 section 3.2)",
	"bad-target":    "a target that is no URI form, or holds control characters, is a 400",
	"nul":           "a %00 in the path is a 400; Python drops the connection",
	"raw-utf8":      "raw UTF-8 bytes in the target name the file they spell",
	"absolute-form": "an absolute-form target serves its path (RFC 9112 section 3.2.2)",
	"keep-alive-10": "an HTTP/1.0 client kept alive is told Connection: keep-alive",
	"special-file":  "only regular files are served: a FIFO is a 404 (Python blocks opening it)",
	"non-utf8-link": "a non-UTF-8 name links as its percent-encoded bytes and shows U+FFFD for them",
	"range":         "Range gets 206 with the bytes asked for (Python sends the whole file)",
	"etag":          "files carry an ETag, and a matching If-None-Match gets 304 (Python ignores it)",
	"json-listing":  "a listing asked for with Accept: application/json is JSON (Python sends its page)",
}

type diffCase struct {
	name string
	req  string // the raw request bytes
	// deliberate names the diffDeliberate entry under which httpserve
	// differs; check then asserts httpserve's answer on its own.
	deliberate string
	check      func(t *testing.T, got *diffResponse)
	// keepAlive sends req twice on one connection (servers run with -p
	// HTTP/1.1) and compares both answers.
	keepAlive bool
	// http11 sends req once to the servers running with -p HTTP/1.1.
	http11 bool
}

// diffResponse is one answer as the client saw it.
type diffResponse struct {
	addr       string // the server that answered
	statusLine string // "" for an HTTP/0.9-style bare body
	code       int
	header     http.Header
	body       []byte
}

// diffFixture builds the served tree. Names are hostile on purpose: spaces,
// reserved URL characters, HTML metacharacters, UTF-8, case clashes.
func diffFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	files := map[string]string{
		"plain.txt":              "plain text\n",
		"with space.txt":         "space\n",
		"é.txt":                  "e acute\n",
		"日本語.html":               "<p>nihongo</p>\n",
		"&<>\"'%#?.txt":          "hostile\n",
		"a+b.txt":                "plus\n",
		"semi;colon=x.txt":       "semicolon\n",
		"UPPER.TXT":              "upper\n",
		"style.css":              "body { color: red }\n",
		"script.js":              "console.log(1)\n",
		"data.json":              "{\"a\": 1}\n",
		"page.html":              "<!doctype html><title>x</title>\n",
		"image.png":              "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"archive.tar.gz":         "\x1f\x8b\x08\x00",
		"doc.pdf":                "%PDF-1.4\n",
		"data.bin":               "\x00\x01\x02\x03",
		"README":                 "no extension, plain text\n",
		"empty.txt":              "",
		"sub dir/index.html":     "<h1>index</h1>\n",
		"sub dir/other.txt":      "other\n",
		"htm/index.htm":          "<h1>htm</h1>\n",
		"list/b.txt":             "b\n",
		"list/A.txt":             "A\n",
		"list/c d.txt":           "c d\n",
		"list/Zed/z.txt":         "z\n",
		"list/é/e.txt":           "e\n",
		"list/<b>&amp;.txt":      "amp\n",
		"bytes/\xff\xfe.bin":     "latin\n",
		"big/large.bin":          strings.Repeat("0123456789abcdef", 1<<14),
		"deep/er/still/leaf.txt": "leaf\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"link-in.txt": "plain.txt",
		"link-dir":    "list",
		"list/up.txt": "../plain.txt",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "escape"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "escape", "secret.txt")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// diffServer is one running server, Python's or ours.
type diffServer struct {
	name string
	addr string
	log  *syncBuffer
}

func startDiffServer(t *testing.T, name string, args []string) *diffServer {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &diffServer{name: name, log: new(syncBuffer)}
	cmd.Stderr = s.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	banner := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		banner <- line
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-banner:
		var host string
		var port int
		if _, err := fmt.Sscanf(line, "Serving HTTP on %s port %d", &host, &port); err != nil {
			t.Fatalf("%s banner %q: %v", name, line, err)
		}
		s.addr = net.JoinHostPort(host, fmt.Sprint(port))
	case <-time.After(20 * time.Second):
		t.Fatalf("%s printed no banner", name)
	}
	return s
}

// exchange sends raw request bytes and reads everything until the server
// closes, or until the answers to n requests have arrived.
func (s *diffServer) exchange(t *testing.T, req string, method string, n int) []*diffResponse {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
	if err != nil {
		t.Fatalf("%s: %v", s.name, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, strings.Repeat(req, n)); err != nil {
		t.Fatalf("%s: write: %v", s.name, err)
	}
	br := bufio.NewReader(c)
	var out []*diffResponse
	for range n {
		peek, _ := br.Peek(5)
		if string(peek) != "HTTP/" {
			body, _ := io.ReadAll(br)
			return append(out, &diffResponse{addr: s.addr, body: body})
		}
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			t.Fatalf("%s: reading response: %v", s.name, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s: reading body: %v", s.name, err)
		}
		out = append(out, &diffResponse{
			addr:       s.addr,
			statusLine: resp.Proto + " " + resp.Status,
			code:       resp.StatusCode,
			header:     resp.Header,
			body:       body,
		})
	}
	return out
}

func TestDifferentialPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is required: the differential test proves the drop-in claim against it")
	}
	needBinary(t)
	bin := binary
	dir := diffFixture(t)

	cases := diffCases(t, dir)
	py10 := startDiffServer(t, "python", []string{python, "-u", "-m", "http.server", "-b", "127.0.0.1", "-d", dir, "0"})
	py11 := startDiffServer(t, "python", []string{python, "-u", "-m", "http.server", "-b", "127.0.0.1", "-d", dir, "-p", "HTTP/1.1", "0"})
	hs10 := startDiffServer(t, "httpserve", []string{bin, "-b", "127.0.0.1", "-d", dir, "0"})
	hs11 := startDiffServer(t, "httpserve", []string{bin, "-b", "127.0.0.1", "-d", dir, "-p", "HTTP/1.1", "0"})

	compared := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method, _, _ := strings.Cut(tc.req, " ")
			py, hs, n := py10, hs10, 1
			if tc.keepAlive {
				py, hs, n = py11, hs11, 2
			}
			if tc.http11 {
				py, hs = py11, hs11
			}
			got := hs.exchange(t, tc.req, method, n)
			if tc.deliberate != "" {
				if _, ok := diffDeliberate[tc.deliberate]; !ok {
					t.Fatalf("unknown deliberate difference %q", tc.deliberate)
				}
				tc.check(t, got[0])
				return
			}
			want := py.exchange(t, tc.req, method, n)
			if len(got) != len(want) {
				t.Fatalf("got %d responses, Python gave %d", len(got), len(want))
			}
			for i := range want {
				diffCompare(t, got[i], want[i], method)
			}
			if tc.check != nil {
				tc.check(t, got[0])
			}
			compared++
		})
	}
	t.Logf("%d cases, %d compared with Python byte for byte, %d deliberate differences asserted",
		len(cases), compared, len(cases)-compared)
	if len(cases) < 80 {
		t.Errorf("only %d cases; the differential test promises at least 80", len(cases))
	}
}

// diffGet sends one more request to the server at addr.
func diffGet(t *testing.T, addr, req string) *diffResponse {
	t.Helper()
	method, _, _ := strings.Cut(req, " ")
	return (&diffServer{name: "httpserve", addr: addr}).exchange(t, req, method, 1)[0]
}

// diffCompare compares the parts of two answers a user sees.
func diffCompare(t *testing.T, got, want *diffResponse, method string) {
	t.Helper()
	if got.statusLine != want.statusLine {
		t.Errorf("status line: got %q, Python %q", got.statusLine, want.statusLine)
	}
	for _, h := range []string{"Content-Length", "Last-Modified", "Location", "Connection", "Transfer-Encoding"} {
		if g, w := got.header.Get(h), want.header.Get(h); g != w {
			t.Errorf("%s: got %q, Python %q", h, g, w)
		}
	}
	gct, wct := got.header.Get("Content-Type"), want.header.Get("Content-Type")
	if wct != "" && !strings.Contains(wct, "charset") && strings.HasSuffix(gct, "; charset=utf-8") {
		gct = strings.TrimSuffix(gct, "; charset=utf-8") // deliberate: "charset"
	}
	if gct != wct {
		t.Errorf("Content-Type: got %q, Python %q", gct, wct)
	}
	if want.code == 200 && got.header.Get("Content-Type") != "" && !strings.HasPrefix(got.header.Get("Content-Type"), "text/html; charset=utf-8") {
		if got.header.Get("X-Content-Type-Options") != "nosniff" { // deliberate: "nosniff"
			t.Errorf("X-Content-Type-Options: got %q, want nosniff", got.header.Get("X-Content-Type-Options"))
		}
	}
	if !bytes.Equal(got.body, want.body) {
		t.Errorf("body differs:\n got: %.600q\nwant: %.600q", got.body, want.body)
	}
}

// pyQuote is urllib.parse.quote: what Python's listing puts in an href.
func pyQuote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

var diffLinkRE = regexp.MustCompile(`<li><a href="([^"]*)">([^<]*)</a></li>`)

func diffCases(t *testing.T, dir string) []diffCase {
	var cases []diffCase
	get := func(path string) string { return "GET " + path + " HTTP/1.0\r\n\r\n" }
	add := func(name, req string) { cases = append(cases, diffCase{name: name, req: req}) }

	// Every file, GET and HEAD.
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&os.ModeSymlink != 0 || d.Type()&os.ModeNamedPipe != 0 {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "bytes/") || rel == "README" {
			return nil // deliberate differences, asserted below
		}
		u := "/" + pyQuote(filepath.ToSlash(rel))
		add("GET "+rel, get(u))
		add("HEAD "+rel, "HEAD "+u+" HTTP/1.0\r\n\r\n")
		return nil
	})

	// Directories, redirects, listings.
	for _, p := range []string{"/", "/sub%20dir/", "/sub%20dir", "/sub%20dir?x=1&y=%20", "/htm/", "/htm", "/list/",
		"/list", "/list/?q=%3Cx%3E&b", "/list/%C3%A9/", "/list/Zed", "/empty/", "/deep/er/", "/deep/er/still",
		"/link-dir/", "/link-dir", "/big/", "/./list/", "/list/../sub%20dir/", "//list", "//list/",
		"/list//b.txt", "/list/./b.txt"} {
		add("dir "+p, get(p))
		add("HEAD dir "+p, "HEAD "+p+" HTTP/1.0\r\n\r\n")
	}

	// Not found, traversal, trailing slashes.
	for _, p := range []string{"/nope", "/nope/", "/plain.txt/", "/list/nope/x", "/../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd", "/list/..%2f..%2fetc/passwd", "/list/%2e%2e/plain.txt", "/plain.txt?x=1#frag",
		"/plain.txt#frag", "/PLAIN.TXT", "/with%20space.txt?q", "/a%2bb.txt", "/a+b.txt", "/%E6%97%A5%E6%9C%AC%E8%AA%9E.html",
		"/link-in.txt", "/list/up.txt", "//evil.example/%2e%2e", "//evil.example//", "///list"} {
		add("path "+p, get(p))
	}

	// Python's own link for a non-UTF-8 name (a surrogate escape) still
	// works in httpserve.
	add("surrogate escape link", get("/bytes/%ED%B3%BF%ED%B3%BE.bin"))

	// Conditional requests.
	lm := "Mon, 06 May 2024 07:08:09 GMT"
	for name, h := range map[string]string{
		"ims equal":          "If-Modified-Since: " + lm,
		"ims later":          "If-Modified-Since: Tue, 07 May 2024 07:08:09 GMT",
		"ims earlier":        "If-Modified-Since: Sun, 05 May 2024 07:08:09 GMT",
		"ims garbage":        "If-Modified-Since: yesterday",
		"ims rfc850":         "If-Modified-Since: Monday, 06-May-24 07:08:09 GMT",
		"ims asctime":        "If-Modified-Since: Mon May  6 07:08:09 2024",
		"ims with inm":       "If-Modified-Since: " + lm + "\r\nIf-None-Match: \"x\"",
		"ims directory list": "If-Modified-Since: " + lm,
	} {
		path := "/plain.txt"
		if strings.Contains(name, "directory") {
			path = "/list/"
		}
		add(name, "GET "+path+" HTTP/1.0\r\n"+h+"\r\n\r\n")
	}

	// Methods.
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "Get", "BREW"} {
		add("method "+m, m+" /plain.txt HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
	}
	add("OPTIONS *", "OPTIONS * HTTP/1.0\r\n\r\n")

	// Request lines and heads Python answers cleanly.
	add("four words", "GET / extra HTTP/1.0\r\n\r\n")
	add("version HTTP/1.2", "GET /plain.txt HTTP/1.2\r\nHost: x\r\n\r\n")
	add("version leading zeros", "GET /plain.txt HTTP/01.00\r\n\r\n")
	add("line too long", "GET /"+strings.Repeat("a", 70000)+" HTTP/1.0\r\n\r\n")
	add("header too long", "GET / HTTP/1.0\r\nX-Long: "+strings.Repeat("a", 70000)+"\r\n\r\n")
	add("too many headers", "GET / HTTP/1.0\r\n"+strings.Repeat("X-A: b\r\n", 100)+"\r\n")
	add("99 headers", "GET /plain.txt HTTP/1.0\r\n"+strings.Repeat("X-A: b\r\n", 99)+"\r\n")
	add("bare LF", "GET /plain.txt HTTP/1.0\nUser-Agent: x\n\n")
	add("HTTP/0.9", "GET /plain.txt\r\n\r\n")
	add("HTTP/0.9 missing", "GET /nope\r\n\r\n")
	add("HTTP/1.1 close", "GET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	add("extra spaces", "GET   /plain.txt   HTTP/1.0\r\n\r\n")

	// Keep-alive under -p HTTP/1.1.
	for _, p := range []string{"/plain.txt", "/list/", "/list", "/nope", "/empty.txt"} {
		cases = append(cases, diffCase{name: "keep-alive " + p, keepAlive: true,
			req: "GET " + p + " HTTP/1.1\r\nHost: x\r\n\r\n"})
	}
	cases = append(cases, diffCase{name: "keep-alive HEAD", keepAlive: true,
		req: "HEAD /plain.txt HTTP/1.1\r\nHost: x\r\n\r\n"})

	// Deliberate differences, asserted on httpserve alone.
	status := func(code int, reason string) func(*testing.T, *diffResponse) {
		return func(t *testing.T, r *diffResponse) {
			t.Helper()
			if r.code != code || (reason != "" && r.statusLine != "HTTP/1.0 "+fmt.Sprint(code)+" "+reason) {
				t.Errorf("got %q, want %d %s", r.statusLine, code, reason)
			}
		}
	}
	deliberate := func(name, key, req string, check func(*testing.T, *diffResponse)) {
		cases = append(cases, diffCase{name: name, req: req, deliberate: key, check: check})
	}
	deliberate("symlink out of the root", "symlink-out", get("/escape/secret.txt"), status(404, "File not found"))
	deliberate("bad version", "status-line", "GET / FOO\r\n\r\n", status(400, "Bad request version ('FOO')"))
	deliberate("HTTP/2.0", "status-line", "GET / HTTP/2.0\r\n\r\n", status(505, "Invalid HTTP version (2.0)"))
	deliberate("one word", "status-line", "GET\r\n\r\n", status(400, "Bad request syntax ('GET')"))
	deliberate("HTTP/0.9 POST", "status-line", "POST /\r\n\r\n", status(400, "Bad HTTP/0.9 request type ('POST')"))
	deliberate("no Host", "host", "GET /plain.txt HTTP/1.1\r\n\r\n", func(t *testing.T, r *diffResponse) {
		if r.code != 400 {
			t.Errorf("got %q, want 400", r.statusLine)
		}
	})
	deliberate("NUL in path", "nul", get("/plain%00.txt"), func(t *testing.T, r *diffResponse) {
		if r.code < 400 || r.code > 499 {
			t.Errorf("got %q, want a 4xx", r.statusLine)
		}
	})
	deliberate("relative target", "bad-target", get("plain.txt"), status(400, ""))
	deliberate("control character in target", "bad-target", "GET /a\x01b HTTP/1.0\r\n\r\n", status(400, ""))
	deliberate("raw UTF-8 target", "raw-utf8", get("/é.txt"), func(t *testing.T, r *diffResponse) {
		if r.code != 200 || string(r.body) != "e acute\n" {
			t.Errorf("got %q %q, want 200 with the file", r.statusLine, r.body)
		}
	})
	deliberate("absolute-form", "absolute-form", "GET http://example.com/plain.txt HTTP/1.1\r\nHost: example.com\r\n\r\n",
		func(t *testing.T, r *diffResponse) {
			if r.code != 200 || string(r.body) != "plain text\n" {
				t.Errorf("got %q %q, want 200 with the file", r.statusLine, r.body)
			}
		})
	deliberate("text charset", "charset", get("/plain.txt"), func(t *testing.T, r *diffResponse) {
		if ct := r.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
	})
	deliberate("sniffed type", "sniff", get("/README"), func(t *testing.T, r *diffResponse) {
		if ct := r.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type %q, want sniffed text/plain; charset=utf-8 (Python: application/octet-stream)", ct)
		}
	})
	deliberate("FIFO", "special-file", get("/fifo"), status(404, ""))
	cases = append(cases, diffCase{name: "HTTP/1.0 keep-alive", deliberate: "keep-alive-10", http11: true,
		req: "GET /plain.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", check: func(t *testing.T, r *diffResponse) {
			if r.code != 200 || r.header.Get("Connection") != "keep-alive" {
				t.Errorf("got %q with Connection %q, want 200 with Connection: keep-alive", r.statusLine, r.header.Get("Connection"))
			}
		}})
	deliberate("non-UTF-8 names in a listing", "non-utf8-link", get("/bytes/"), func(t *testing.T, r *diffResponse) {
		m := diffLinkRE.FindAllSubmatch(r.body, -1)
		if r.code != 200 || len(m) != 1 || string(m[0][1]) != "%FF%FE.bin" || string(m[0][2]) != "\uFFFD\uFFFD.bin" {
			t.Errorf("got %q, links %q; want one link %%FF%%FE.bin shown as \uFFFD\uFFFD.bin", r.statusLine, m)
		}
	})
	deliberate("non-UTF-8 name by its raw bytes", "non-utf8-link", get("/bytes/%FF%FE.bin"), func(t *testing.T, r *diffResponse) {
		if r.code != 200 || string(r.body) != "latin\n" {
			t.Errorf("got %q %q, want 200 with the file", r.statusLine, r.body)
		}
	})
	deliberate("Range", "range", "GET /plain.txt HTTP/1.0\r\nRange: bytes=0-4\r\n\r\n", func(t *testing.T, r *diffResponse) {
		if r.code != 206 || string(r.body) != "plain" || r.header.Get("Content-Range") != "bytes 0-4/11" {
			t.Errorf("got %q, Content-Range %q, body %q; want 206, bytes 0-4/11, \"plain\"", r.statusLine, r.header.Get("Content-Range"), r.body)
		}
	})
	cases = append(cases, diffCase{name: "If-None-Match with the ETag", deliberate: "etag",
		req: "HEAD /plain.txt HTTP/1.0\r\n\r\n", check: func(t *testing.T, r *diffResponse) {
			etag := r.header.Get("ETag")
			if r.code != 200 || !strings.HasPrefix(etag, `"`) {
				t.Fatalf("got %q with ETag %q, want 200 with a strong ETag", r.statusLine, etag)
			}
			again := diffGet(t, r.addr, "GET /plain.txt HTTP/1.0\r\nIf-None-Match: "+etag+"\r\n\r\n")
			if again.code != 304 || len(again.body) != 0 {
				t.Errorf("If-None-Match %s: got %q with %d body bytes, want 304 and none", etag, again.statusLine, len(again.body))
			}
		}})
	deliberate("JSON listing", "json-listing", "GET /list/ HTTP/1.0\r\nAccept: application/json\r\n\r\n", func(t *testing.T, r *diffResponse) {
		var doc struct {
			Path    string `json:"path"`
			Entries []struct {
				Name string `json:"name"`
				Href string `json:"href"`
			} `json:"entries"`
		}
		if err := json.Unmarshal(r.body, &doc); err != nil || r.header.Get("Content-Type") != "application/json" {
			t.Fatalf("got %q, Content-Type %q, body %.200q: %v", r.statusLine, r.header.Get("Content-Type"), r.body, err)
		}
		if doc.Path != "/list/" || len(doc.Entries) == 0 || doc.Entries[0].Name != "<b>&amp;.txt" {
			t.Errorf("got path %q, entries %+v", doc.Path, doc.Entries)
		}
	})
	return cases
}
