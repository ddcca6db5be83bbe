package simplehandler

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
	"github.com/httpserve/httpserve/listing"
)

// The fixture is a served directory, "root", full of hostile names and
// special files, beside a directory "outside" that no request may reach
// unless the handler follows symlinks. Every byte of the outside files is
// the secret, so a test can tell a leak from any body.

const secret = "TOP SECRET: outside the served directory\n"

// fixtureTime is the modification time of hello.txt, with half a second
// that Last-Modified and If-Modified-Since must ignore.
var fixtureTime = time.Date(2024, 1, 2, 3, 4, 5, 500_000_000, time.UTC)

const fixtureLastModified = "Tue, 02 Jan 2024 03:04:05 GMT"

// fixtureFiles are the regular files, by slash-separated name under root.
var fixtureFiles = []struct{ name, content string }{
	{"hello.txt", "Hello, world\n"},
	{"with space.txt", "space\n"},
	{"é.txt", "e-acute\n"},
	{"日本.txt", "nihon\n"},
	{"\xff.txt", "ff\n"}, // not UTF-8
	{`&<>"'%#?.txt`, "hostile\n"},
	{"a+b.txt", "plus\n"},
	{";=.txt", "semicolon\n"},
	{`back\slash.txt`, "backslash\n"},
	{"100%.txt", "percent\n"},
	{"sub/inner.txt", "inner\n"},
	{"withindex/index.html", "<p>index.html</p>\n"},
	{"withindex/index.htm", "<p>index.htm, not used</p>\n"},
	{"withhtm/index.htm", "<p>index.htm</p>\n"},
	{"indexdir/index.html/x.txt", "x\n"}, // a directory named index.html is no index
	{"types/a.html", "<p>html</p>\n"},
	{"types/a.css", "p {}\n"},
	{"types/a.js", "let a = 1;\n"},
	{"types/a.json", "{}\n"},
	{"types/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"},
	{"types/a.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
	{"types/a.tar.gz", "\x1f\x8b\x08\x00"},
	{"types/a.TXT", "upper\n"},
	{"types/a.Z", "\x1f\x9d"},
	{"types/a.wasm", "\x00asm\x01\x00\x00\x00"},
	{"types/noext", "just some text\n"},
	{"types/noext-png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
	{"types/page.unknownext", "<!DOCTYPE html><html><script>alert(1)</script></html>\n"},
	{"types/emptynoext", ""},
	{"unlistable/f.txt", "f\n"},
	{"unreadableindex/index.html", "<p>unreadable index</p>\n"},
	{"unsearchable/index.html", "<p>index that cannot be reached</p>\n"},
}

type fixture struct {
	base, root string
	big        []byte            // root/big.bin
	missing    map[string]string // fixture names that could not be made, and why
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	base := t.TempDir()
	f := &fixture{base: base, root: filepath.Join(base, "root"), missing: map[string]string{}}
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, file := range fixtureFiles {
		write("root/"+file.name, file.content)
	}
	write("outside/secret.txt", secret)
	write("outside/dir/file.txt", secret)
	if err := os.Mkdir(filepath.Join(f.root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(f.root, "hello.txt"), fixtureTime, fixtureTime); err != nil {
		t.Fatal(err)
	}

	// 8 MiB of pseudo-random bytes: big enough for several sendfile calls
	// and socket buffers, and never all in memory on the server side.
	f.big = make([]byte, 8<<20)
	rand.NewChaCha8([32]byte{1}).Read(f.big)
	write("root/big.bin", string(f.big))

	for _, l := range []struct{ name, target string }{
		{"link-in.txt", "hello.txt"},
		{"link-in-dir", "sub"},
		{"link-abs-in.txt", filepath.Join(f.root, "hello.txt")}, // os.Root follows no absolute link
		{"link-out.txt", "../outside/secret.txt"},
		{"link-out-dir", "../outside/dir"},
		{"dangling", "missing.txt"},
		{"link-slash", "/"},
	} {
		if err := os.Symlink(l.target, filepath.Join(f.root, l.name)); err != nil {
			f.missing[l.name] = "cannot make symlinks: " + err.Error()
		}
	}
	for name, mk := range map[string]func(string) error{"fifo": makeFIFO, "sock": makeSocket, "null": makeDevice} {
		if err := mk(filepath.Join(f.root, name)); err != nil {
			f.missing[name] = "cannot make " + name + ": " + err.Error()
		}
	}
	if privileged() {
		why := "root reads any file whatever its mode (CAP_DAC_OVERRIDE), so chmod cannot take the permission away"
		for _, name := range []string{"unreadable.txt", "unlistable", "unreadableindex", "unsearchable"} {
			f.missing[name] = why
		}
	} else {
		write("root/unreadable.txt", "unreadable\n")
		os.Chmod(filepath.Join(f.root, "unreadable.txt"), 0)
		os.Chmod(filepath.Join(f.root, "unreadableindex/index.html"), 0)
		// Searchable but not readable: stat works, listing does not.
		os.Chmod(filepath.Join(f.root, "unlistable"), 0o311)
		// Readable but not searchable: listing works, stat inside does not.
		os.Chmod(filepath.Join(f.root, "unsearchable"), 0o644)
		t.Cleanup(func() {
			os.Chmod(filepath.Join(f.root, "unlistable"), 0o755)
			os.Chmod(filepath.Join(f.root, "unsearchable"), 0o755)
		})
	}
	return f
}

// syncBuffer is a log that goroutines write while the test reads it.
type syncBuffer = basehandlertest.SyncBuffer

// testServer is a basehandler.Server on 127.0.0.1:0, stopped when the test
// ends.
type testServer struct {
	addr string
	log  *syncBuffer
}

func startServer(t testing.TB, h basehandler.Handler, protocol string) *testServer {
	t.Helper()
	ln, err := basehandler.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{addr: ln.Addr().String(), log: &syncBuffer{}}
	srv := &basehandler.Server{Handler: h, Protocol: protocol, Log: ts.log}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ts
}

func newHandler(t testing.TB, dir string, follow bool) *Handler {
	t.Helper()
	h, err := New(dir, follow)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// response is an answer as either client read it.
type response struct {
	status int
	reason string
	fields []string // header names in the order sent (raw client only)
	header http.Header
	body   []byte
}

// rawExchange sends request on a new connection and reads until the
// server closes it, as it does after every HTTP/1.0 response.
func rawExchange(addr, request string) (*response, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		return nil, err
	}
	all, err := io.ReadAll(conn)
	if err != nil {
		return nil, err
	}
	head, body, ok := bytes.Cut(all, []byte("\r\n\r\n"))
	if !ok {
		return nil, fmt.Errorf("no end of head in %q", all)
	}
	lines := strings.Split(string(head), "\r\n")
	proto, rest, _ := strings.Cut(lines[0], " ")
	code, reason, _ := strings.Cut(rest, " ")
	r := &response{reason: reason, header: http.Header{}, body: body}
	if r.status, err = strconv.Atoi(code); err != nil || !strings.HasPrefix(proto, "HTTP/") {
		return nil, fmt.Errorf("bad status line %q", lines[0])
	}
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			return nil, fmt.Errorf("bad field line %q", line)
		}
		r.fields = append(r.fields, name)
		r.header.Add(name, value)
	}
	return r, nil
}

// netHTTPExchange sends the case with net/http's client, which parses the
// answer independently and, on an HTTP/1.1 server, keeps connections.
func netHTTPExchange(client *http.Client, addr string, c *serveCase) (*response, error) {
	req, err := http.NewRequest(c.method, "http://"+addr+"/", nil)
	if err != nil {
		return nil, err
	}
	req.URL.Opaque = c.target // sent as it is, percent signs and all
	for _, h := range c.header {
		req.Header.Add(h[0], h[1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{
		status: resp.StatusCode,
		reason: strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" "),
		header: resp.Header,
		body:   body,
	}, nil
}

// serveCase is one request and what must come back.
type serveCase struct {
	name    string
	method  string // GET (then HEAD too) when empty
	target  string
	header  [][2]string
	follow  bool   // sent to the handler with FollowSymlinks
	needs   string // a fixture entry that may be missing; the case skips without it
	rawOnly bool   // a target net/http's client cannot send

	wantStatus int
	wantReason string            // the reason phrase, when it matters
	want       map[string]string // header values
	absent     []string          // headers that must not be sent
	wantFields []string          // all header names, in order (raw client)
	wantBody   string            // the exact body of GET
	wantBig    bool              // the body is big.bin
	wantIn     []string          // strings the body of GET must hold
	listing    string            // the body is the listing of this directory under the fixture base
	wantLog    string            // a string the server log must hold afterwards

	// What Python 3.11's http.server does, where it differs (python_test.go):
	py         int    // its status; -1 when it never answers (so it is not asked)
	pyLocation string // its Location
}

// fileHeaders are the headers of a served file of type ctype.
func fileHeaders(ctype string) map[string]string {
	return map[string]string{"Content-type": ctype, "X-Content-Type-Options": "nosniff"}
}

func textFile(size int) map[string]string {
	h := fileHeaders("text/plain; charset=utf-8")
	h["Content-Length"] = strconv.Itoa(size)
	return h
}

var (
	listingHeaders = map[string]string{"Content-type": "text/html; charset=utf-8", "Vary": "Accept"}
	fileFields     = []string{"Server", "Date", "Content-type", "Content-Length", "Last-Modified", "ETag", "Accept-Ranges", "X-Content-Type-Options"}
	errorFields    = []string{"Server", "Date", "Connection", "Content-Type", "Content-Length"}
	outsideLog     = ": a symlink leads outside the served directory (--follow-symlinks serves it)"
)

const (
	ims = "If-Modified-Since"
	inm = "If-None-Match"
)

var serveCases = []serveCase{
	// Files.
	{name: "file", target: "/hello.txt", wantStatus: 200, wantBody: "Hello, world\n",
		want: map[string]string{"Content-type": "text/plain; charset=utf-8", "Content-Length": "13",
			"Last-Modified": fixtureLastModified, "X-Content-Type-Options": "nosniff"},
		wantFields: fileFields},
	{name: "file with query", target: "/hello.txt?x=1&y=/../", wantStatus: 200, wantBody: "Hello, world\n"},
	{name: "file with fragment", target: "/hello.txt#top", wantStatus: 200, wantBody: "Hello, world\n", rawOnly: true},
	{name: "big file", target: "/big.bin", wantStatus: 200, wantBig: true,
		want: map[string]string{"Content-Length": strconv.Itoa(8 << 20), "Content-type": "application/octet-stream"}},
	{name: "missing", target: "/missing.txt", wantStatus: 404, wantReason: "File not found", wantFields: errorFields},
	{name: "missing dir with slash", target: "/missing/", wantStatus: 404, wantReason: "File not found"},
	{name: "trailing slash on a file", target: "/hello.txt/", wantStatus: 404, wantReason: "File not found"},
	{name: "trailing slash on a symlink to a file", target: "/link-in.txt/", wantStatus: 404},
	{name: "file as a directory", target: "/hello.txt/x", wantStatus: 404},
	{name: "star", target: "*", wantStatus: 404, rawOnly: true},

	// Hostile names.
	{name: "space", target: "/with%20space.txt", wantStatus: 200, wantBody: "space\n"},
	{name: "utf-8", target: "/%C3%A9.txt", wantStatus: 200, wantBody: "e-acute\n"},
	{name: "utf-8 lower-case hex", target: "/%c3%a9.txt", wantStatus: 200, wantBody: "e-acute\n"},
	{name: "utf-8 raw", target: "/é.txt", wantStatus: 200, wantBody: "e-acute\n", py: 404},
	{name: "cjk", target: "/%E6%97%A5%E6%9C%AC.txt", wantStatus: 200, wantBody: "nihon\n"},
	{name: "not utf-8", target: "/%FF.txt", wantStatus: 200, wantBody: "ff\n", want: textFile(3), py: 404},
	{name: "python surrogate escape", target: "/%ED%B3%BF.txt", wantStatus: 200, wantBody: "ff\n"},
	{name: "python surrogate escape, lower case", target: "/%ed%b3%bf.txt", wantStatus: 200, wantBody: "ff\n"},
	{name: "other surrogate", target: "/%ED%A0%80.txt", wantStatus: 404, py: -1}, // Python: UnicodeEncodeError
	{name: "html and url specials", target: "/%26%3C%3E%22%27%25%23%3F.txt", wantStatus: 200, wantBody: "hostile\n"},
	{name: "plus is not a space", target: "/a+b.txt", wantStatus: 200, wantBody: "plus\n"},
	{name: "encoded plus", target: "/a%2Bb.txt", wantStatus: 200, wantBody: "plus\n"},
	{name: "semicolon and equals", target: "/;=.txt", wantStatus: 200, wantBody: "semicolon\n"},
	{name: "encoded backslash", target: "/back%5Cslash.txt", wantStatus: 200, wantBody: "backslash\n"},
	{name: "raw backslash", target: `/back\slash.txt`, wantStatus: 200, wantBody: "backslash\n"},
	{name: "lone percent", target: "/100%.txt", wantStatus: 200, wantBody: "percent\n"},
	{name: "bad escape", target: "/%zz", wantStatus: 404},

	// Content types.
	{name: "html", target: "/types/a.html", wantStatus: 200, want: fileHeaders("text/html; charset=utf-8")},
	{name: "css", target: "/types/a.css", wantStatus: 200, want: fileHeaders("text/css; charset=utf-8")},
	{name: "js", target: "/types/a.js", wantStatus: 200, want: fileHeaders("text/javascript; charset=utf-8")},
	{name: "json", target: "/types/a.json", wantStatus: 200, want: fileHeaders("application/json; charset=utf-8")},
	{name: "svg", target: "/types/a.svg", wantStatus: 200, want: fileHeaders("image/svg+xml; charset=utf-8")},
	{name: "png", target: "/types/a.png", wantStatus: 200, want: fileHeaders("image/png")},
	{name: "tar.gz", target: "/types/a.tar.gz", wantStatus: 200, want: fileHeaders("application/gzip")},
	{name: "upper-case extension", target: "/types/a.TXT", wantStatus: 200, want: fileHeaders("text/plain; charset=utf-8")},
	{name: "compress", target: "/types/a.Z", wantStatus: 200, want: fileHeaders("application/octet-stream")},
	{name: "wasm", target: "/types/a.wasm", wantStatus: 200, want: fileHeaders("application/wasm")},
	{name: "sniffed text", target: "/types/noext", wantStatus: 200, wantBody: "just some text\n",
		want: fileHeaders("text/plain; charset=utf-8")},
	{name: "sniffed png", target: "/types/noext-png", wantStatus: 200, want: fileHeaders("image/png")},
	{name: "sniffed html is text", target: "/types/page.unknownext", wantStatus: 200,
		want: fileHeaders("text/plain; charset=utf-8")},
	{name: "empty file", target: "/types/emptynoext", wantStatus: 200, wantBody: "",
		want: map[string]string{"Content-type": "application/octet-stream", "Content-Length": "0"}},

	// Directories.
	{name: "root", target: "/", wantStatus: 200, want: listingHeaders, listing: "root",
		wantFields: []string{"Server", "Date", "Content-type", "Content-Length", "Vary"},
		wantIn: []string{
			"<title>Directory listing for /</title>",
			`<li><a href="%FF.txt">` + "\uFFFD.txt</a></li>",
			`<li><a href="%26%3C%3E%22%27%25%23%3F.txt">&amp;&lt;&gt;"'%#?.txt</a></li>`,
			`<li><a href="a%2Bb.txt">a+b.txt</a></li>`,
			`<li><a href="empty/">empty/</a></li>`,
			`<li><a href="link-in-dir/">link-in-dir@</a></li>`,
		}},
	{name: "root with query", target: "/?x=%3Cb%3E", wantStatus: 200, listing: "root",
		wantIn: []string{"<title>Directory listing for /?x=&lt;b&gt;</title>"}},
	{name: "dir without slash", target: "/sub", wantStatus: 301,
		want:       map[string]string{"Location": "/sub/", "Content-Length": "0"},
		wantFields: []string{"Server", "Date", "Location", "Content-Length"}},
	{name: "dir without slash, query", target: "/sub?x=1&y=%2F", wantStatus: 301,
		want: map[string]string{"Location": "/sub/?x=1&y=%2F"}},
	{name: "dir without slash, empty query", target: "/sub?", wantStatus: 301, want: map[string]string{"Location": "/sub/"}},
	{name: "dir without slash, fragment", target: "/sub?q#f", wantStatus: 301, rawOnly: true,
		want: map[string]string{"Location": "/sub/?q#f"}},
	{name: "dir with encoded slash", target: "/sub%2F", wantStatus: 301, want: map[string]string{"Location": "/sub%2F/"}},
	{name: "dir listing", target: "/sub/", wantStatus: 200, want: listingHeaders, listing: "root/sub",
		wantIn: []string{`<li><a href="inner.txt">inner.txt</a></li>`}},
	{name: "dir listing with query", target: "/sub/?a=b", wantStatus: 200, listing: "root/sub",
		wantIn: []string{"Directory listing for /sub/?a=b"}},
	{name: "empty dir", target: "/empty/", wantStatus: 200, listing: "root/empty"},
	{name: "index.html", target: "/withindex/", wantStatus: 200, wantBody: "<p>index.html</p>\n",
		want: fileHeaders("text/html; charset=utf-8")},
	{name: "index.html without slash", target: "/withindex", wantStatus: 301, want: map[string]string{"Location": "/withindex/"}},
	{name: "index.htm", target: "/withhtm/", wantStatus: 200, wantBody: "<p>index.htm</p>\n",
		want: fileHeaders("text/html; charset=utf-8")},
	{name: "index.html is a dir", target: "/indexdir/", wantStatus: 200, listing: "root/indexdir"},
	{name: "unlistable dir", target: "/unlistable/", needs: "unlistable", wantStatus: 404,
		wantReason: "No permission to list directory"},
	{name: "unlistable dir without slash", target: "/unlistable", needs: "unlistable", wantStatus: 301},
	{name: "unreadable index", target: "/unreadableindex/", needs: "unreadableindex", wantStatus: 404,
		wantReason: "File not found"},
	// Not deliberate: os.Root's ReadDir stats every entry and fails for a
	// directory without search permission (listing.Read, listing/entry.go:44).
	{name: "unsearchable dir", target: "/unsearchable/", needs: "unsearchable", wantStatus: 404,
		wantReason: "No permission to list directory", py: 200},

	// Traversal: the answer comes from inside the root, or is 404.
	{name: "dotdot", target: "/../outside/secret.txt", wantStatus: 404},
	{name: "dotdot twice", target: "/../../outside/secret.txt", wantStatus: 404},
	{name: "encoded dotdot", target: "/%2e%2e/outside/secret.txt", wantStatus: 404},
	{name: "encoded dotdot and slash", target: "/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt", wantStatus: 404},
	{name: "dotdot from sub", target: "/sub/../../outside/secret.txt", wantStatus: 404},
	{name: "dotdot with backslash", target: `/..\outside\secret.txt`, wantStatus: 404},
	{name: "encoded backslash dotdot", target: "/sub/..%5c..%5coutside%5csecret.txt", wantStatus: 404},
	{name: "dotdot to root file", target: "/sub/%2e%2e/hello.txt", wantStatus: 200, wantBody: "Hello, world\n"},
	{name: "dotdot is root", target: "/..", wantStatus: 301, want: map[string]string{"Location": "/../"}},
	{name: "dotdot slash is root", target: "/../", wantStatus: 200, listing: "root"},
	{name: "encoded dotdot slash", target: "/%2e%2e%2f", wantStatus: 301, want: map[string]string{"Location": "/%2e%2e%2f/"}},

	// Open redirects: a Location must stay on this site.
	{name: "double slash", target: "//evil.example/..", wantStatus: 301, rawOnly: true,
		want: map[string]string{"Location": "/evil.example/../"}},
	{name: "triple slash", target: "///evil.example/%2e%2e", wantStatus: 301, rawOnly: true,
		want: map[string]string{"Location": "/evil.example/%2e%2e/"}},
	{name: "double slash with query", target: "//evil.example/..?q=1", wantStatus: 301, rawOnly: true,
		want: map[string]string{"Location": "/evil.example/../?q=1"}},
	{name: "slash backslash", target: `/\evil.example/..`, wantStatus: 301,
		want: map[string]string{"Location": "/%5Cevil.example/../"}, pyLocation: `/\evil.example/../`},
	{name: "encoded double slash", target: "/%2F%2Fevil.example/..", wantStatus: 301,
		want: map[string]string{"Location": "/%2F%2Fevil.example/../"}},
	{name: "python's test", target: "//python.org/..%2f..%2f..%2f..%2f..%2f../%0a%0d/../sub", wantStatus: 301, rawOnly: true,
		want: map[string]string{"Location": "/python.org/..%2f..%2f..%2f..%2f..%2f../%0a%0d/../sub/"}},
	{name: "absolute form", target: "http://evil.example//evil.example/..", wantStatus: 301, rawOnly: true,
		want: map[string]string{"Location": "/evil.example/../"}, py: 404},

	// NUL.
	{name: "nul", target: "/hello.txt%00", wantStatus: 400, wantReason: "Bad request path", py: -1},
	{name: "nul dir", target: "/%00/", wantStatus: 400, py: -1},

	// Symlinks.
	{name: "symlink inside", target: "/link-in.txt", needs: "link-in.txt", wantStatus: 200, wantBody: "Hello, world\n"},
	{name: "symlink to dir inside", target: "/link-in-dir/", needs: "link-in-dir", wantStatus: 200, listing: "root/sub",
		wantIn: []string{"Directory listing for /link-in-dir/"}},
	{name: "file through symlinked dir", target: "/link-in-dir/inner.txt", needs: "link-in-dir", wantStatus: 200, wantBody: "inner\n"},
	{name: "absolute symlink inside", target: "/link-abs-in.txt", needs: "link-abs-in.txt", wantStatus: 200, wantBody: "Hello, world\n"},
	{name: "symlink outside", target: "/link-out.txt", needs: "link-out.txt", wantStatus: 404,
		wantLog: `not serving "/link-out.txt"` + outsideLog, py: 200},
	{name: "symlink to dir outside", target: "/link-out-dir/", needs: "link-out-dir", wantStatus: 404,
		wantLog: `not serving "/link-out-dir"` + outsideLog, py: 200},
	{name: "symlink to dir outside without slash", target: "/link-out-dir", needs: "link-out-dir", wantStatus: 404, py: 301},
	{name: "file through symlink outside", target: "/link-out-dir/file.txt", needs: "link-out-dir", wantStatus: 404,
		wantLog: `not serving "/link-out-dir/file.txt"` + outsideLog, py: 200},
	{name: "dangling symlink", target: "/dangling", needs: "dangling", wantStatus: 404},
	{name: "follow: symlink outside", target: "/link-out.txt", needs: "link-out.txt", follow: true,
		wantStatus: 200, wantBody: secret},
	{name: "follow: symlink to dir outside", target: "/link-out-dir/", needs: "link-out-dir", follow: true,
		wantStatus: 200, listing: "outside/dir", wantIn: []string{`<a href="file.txt">file.txt</a>`}},
	{name: "follow: symlink to dir outside without slash", target: "/link-out-dir", needs: "link-out-dir", follow: true,
		wantStatus: 301, want: map[string]string{"Location": "/link-out-dir/"}},
	{name: "follow: file through symlink outside", target: "/link-out-dir/file.txt", needs: "link-out-dir", follow: true,
		wantStatus: 200, wantBody: secret},
	{name: "symlink to /", target: "/link-slash/", needs: "link-slash", wantStatus: 404,
		wantLog: `not serving "/link-slash"` + outsideLog, py: 200},
	{name: "follow: symlink to /", target: "/link-slash/", needs: "link-slash", follow: true, wantStatus: 200,
		wantIn: []string{"<title>Directory listing for /link-slash/</title>"}},
	{name: "follow: dangling symlink", target: "/dangling", needs: "dangling", follow: true, wantStatus: 404},
	{name: "follow: symlink inside", target: "/link-in.txt", needs: "link-in.txt", follow: true, wantStatus: 200},
	{name: "follow: dotdot", target: "/../outside/secret.txt", follow: true, wantStatus: 404},

	// Special files.
	{name: "fifo", target: "/fifo", needs: "fifo", wantStatus: 404, py: -1}, // Python blocks in open()
	{name: "socket", target: "/sock", needs: "sock", wantStatus: 404},
	{name: "device", target: "/null", needs: "null", wantStatus: 404, py: 200},
	{name: "unreadable", target: "/unreadable.txt", needs: "unreadable.txt", wantStatus: 404, wantReason: "File not found"},

	// If-Modified-Since (hello.txt was modified at 03:04:05.5).
	{name: "ims equal", target: "/hello.txt", header: [][2]string{{ims, fixtureLastModified}}, wantStatus: 304,
		wantBody: "", wantFields: []string{"Server", "Date", "ETag"}},
	{name: "ims newer", target: "/hello.txt", header: [][2]string{{ims, "Wed, 03 Jan 2024 00:00:00 GMT"}}, wantStatus: 304},
	{name: "ims older", target: "/hello.txt", header: [][2]string{{ims, "Tue, 02 Jan 2024 03:04:04 GMT"}}, wantStatus: 200,
		wantBody: "Hello, world\n"},
	{name: "ims rfc 850", target: "/hello.txt", header: [][2]string{{ims, "Tuesday, 02-Jan-24 03:04:05 GMT"}}, wantStatus: 304},
	{name: "ims asctime", target: "/hello.txt", header: [][2]string{{ims, "Tue Jan  2 03:04:05 2024"}}, wantStatus: 304},
	{name: "ims garbage", target: "/hello.txt", header: [][2]string{{ims, "yesterday"}}, wantStatus: 200},
	{name: "ims empty", target: "/hello.txt", header: [][2]string{{ims, ""}}, wantStatus: 200},
	{name: "ims with if-none-match", target: "/hello.txt", header: [][2]string{{ims, fixtureLastModified}, {inm, "*"}},
		wantStatus: 304, py: 200}, // Python ignores If-None-Match
	{name: "ims with unmatched if-none-match", target: "/hello.txt", header: [][2]string{{ims, fixtureLastModified}, {inm, `"x"`}},
		wantStatus: 200, wantBody: "Hello, world\n"},
	{name: "ims with empty if-none-match", target: "/hello.txt", header: [][2]string{{inm, ""}, {ims, fixtureLastModified}},
		wantStatus: 200},
	{name: "ims with offset", target: "/hello.txt", header: [][2]string{{ims, "Tue, 02 Jan 2024 05:04:05 +0100"}}, wantStatus: 200},
	{name: "ims numeric utc", target: "/hello.txt", header: [][2]string{{ims, "Tue, 02 Jan 2024 03:04:05 +0000"}},
		wantStatus: 200, py: 304},
	{name: "ims pst", target: "/hello.txt", header: [][2]string{{ims, "Tuesday, 02-Jan-24 03:04:05 PST"}}, wantStatus: 200},
	{name: "ims on listing", target: "/sub/", header: [][2]string{{ims, "Fri, 01 Jan 2100 00:00:00 GMT"}}, wantStatus: 200},
	{name: "ims on index", target: "/withindex/", header: [][2]string{{ims, "Fri, 01 Jan 2100 00:00:00 GMT"}}, wantStatus: 304},

	// Methods.
	{name: "post", method: "POST", target: "/hello.txt", wantStatus: 501, wantReason: "Unsupported method ('POST')"},
	{name: "put", method: "PUT", target: "/hello.txt", wantStatus: 501, wantReason: "Unsupported method ('PUT')"},
	{name: "lower-case get", method: "get", target: "/hello.txt", wantStatus: 501, wantReason: "Unsupported method ('get')"},
	{name: "method with a quote", method: "FO'O", target: "/", wantStatus: 501, wantReason: `Unsupported method ("FO'O")`},
	{name: "delete missing", method: "DELETE", target: "/missing", wantStatus: 501},
	{name: "options star", method: "OPTIONS", target: "*", wantStatus: 501, rawOnly: true},
}

// request is the raw HTTP/1.0 request of c for method.
func (c *serveCase) request(method string) string {
	var b strings.Builder
	b.WriteString(method + " " + c.target + " HTTP/1.0\r\n")
	for _, h := range c.header {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// methods are the methods c is sent with: GET and HEAD unless it names one.
func (c *serveCase) methods() []string {
	if c.method != "" {
		return []string{c.method}
	}
	return []string{http.MethodGet, http.MethodHead}
}

// check compares resp, the answer to c sent with method, with what c
// wants.
func (c *serveCase) check(t *testing.T, f *fixture, method string, resp *response, raw bool) {
	t.Helper()
	if resp.status != c.wantStatus {
		t.Fatalf("status: got %d %s, want %d (body %.200q)", resp.status, resp.reason, c.wantStatus, resp.body)
	}
	if c.wantReason != "" && resp.reason != c.wantReason {
		t.Errorf("reason: got %q, want %q", resp.reason, c.wantReason)
	}
	for k, want := range c.want {
		if got := resp.header.Get(k); got != want || len(resp.header.Values(k)) != 1 {
			t.Errorf("%s: got %q, want %q", k, resp.header.Values(k), want)
		}
	}
	for _, k := range c.absent {
		if v := resp.header.Values(k); len(v) > 0 {
			t.Errorf("%s: got %q, want none", k, v)
		}
	}
	if raw && c.wantFields != nil && !slicesEqual(resp.fields, c.wantFields) {
		t.Errorf("fields: got %q, want %q", resp.fields, c.wantFields)
	}
	if loc := resp.header.Get("Location"); strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
		t.Errorf("Location %q leaves the site", loc)
	}
	if !c.follow && bytes.Contains(resp.body, []byte(secret)) {
		t.Errorf("body holds the secret from outside the root")
	}
	if method == http.MethodHead || c.wantStatus == 304 {
		if len(resp.body) > 0 {
			t.Errorf("body: got %d bytes (%.100q), want none", len(resp.body), resp.body)
		}
		return
	}
	if cl := resp.header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(resp.body)) {
		t.Errorf("Content-Length %s, but the body has %d bytes", cl, len(resp.body))
	}
	switch {
	case c.wantBig:
		if !bytes.Equal(resp.body, f.big) {
			t.Errorf("body: got %d bytes, want the %d bytes of big.bin", len(resp.body), len(f.big))
		}
	case c.listing != "":
		want := renderListing(t, filepath.Join(f.base, filepath.FromSlash(c.listing)), pathOf(c.target))
		if string(resp.body) != want {
			t.Errorf("listing:\ngot:\n%s\nwant:\n%s", resp.body, want)
		}
	case c.wantBody != "" || c.want["Content-Length"] == "0":
		if string(resp.body) != c.wantBody {
			t.Errorf("body: got %.200q, want %.200q", resp.body, c.wantBody)
		}
	}
	for _, s := range c.wantIn {
		if !bytes.Contains(resp.body, []byte(s)) {
			t.Errorf("body does not hold %q:\n%s", s, resp.body)
		}
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

// pathOf is the Path basehandler makes of an origin-form target.
func pathOf(target string) string {
	if strings.HasPrefix(target, "//") {
		return "/" + strings.TrimLeft(target, "/")
	}
	return target
}

// renderListing is the listing package's page for dir, listed as path.
func renderListing(t *testing.T, dir, path string) string {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	entries, err := listing.Read(root, ".")
	if err != nil {
		t.Fatal(err)
	}
	listing.Sort(entries)
	page, err := (&listing.Page{Path: path, Entries: entries}).AppendPythonHTML(nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(page)
}

// TestServe sends every case over a real socket twice: as raw bytes to an
// HTTP/1.0 server (Python's default), and with net/http's client to an
// HTTP/1.1 server that keeps connections open.
func TestServe(t *testing.T) {
	f := newFixture(t)
	servers := map[[2]bool]*testServer{} // {follow, http11}
	for _, follow := range []bool{false, true} {
		h := newHandler(t, f.root, follow)
		servers[[2]bool{follow, false}] = startServer(t, h, "HTTP/1.0")
		servers[[2]bool{follow, true}] = startServer(t, h, "HTTP/1.1")
	}
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       20 * time.Second,
	}
	defer client.CloseIdleConnections()

	for _, mode := range []string{"raw", "net/http"} {
		t.Run(mode, func(t *testing.T) {
			for i := range serveCases {
				c := &serveCases[i]
				for _, method := range c.methods() {
					t.Run(c.name+"/"+method, func(t *testing.T) {
						if why := f.missing[c.needs]; why != "" {
							t.Skip(why)
						}
						if mode == "net/http" && c.rawOnly {
							t.Skip("net/http's client cannot send this target")
						}
						srv := servers[[2]bool{c.follow, mode == "net/http"}]
						logStart := len(srv.log.String())
						var resp *response
						var err error
						if mode == "raw" {
							resp, err = rawExchange(srv.addr, c.request(method))
						} else {
							cc := *c
							cc.method = method
							resp, err = netHTTPExchange(client, srv.addr, &cc)
						}
						if err != nil {
							t.Fatalf("%s %s: %v", method, c.target, err)
						}
						c.check(t, f, method, resp, mode == "raw")
						if log := srv.log.String()[logStart:]; c.wantLog != "" && !strings.Contains(log, c.wantLog) {
							t.Errorf("log: got\n%s\nwant a line holding %q", log, c.wantLog)
						}
					})
				}
			}
		})
	}
}

// TestKeepAlive sends several requests on one HTTP/1.1 connection, so a
// response that miscounts its body would garble the next one.
func TestKeepAlive(t *testing.T) {
	f := newFixture(t)
	srv := startServer(t, newHandler(t, f.root, false), "HTTP/1.1")
	conn, err := net.Dial("tcp", srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	br := bufio.NewReader(conn)
	for _, tc := range []struct {
		method, target string
		wantStatus     int
		wantBody       string
	}{
		{"GET", "/hello.txt", 200, "Hello, world\n"},
		{"HEAD", "/hello.txt", 200, ""},
		{"GET", "/sub", 301, ""},
		{"GET", "/big.bin", 200, string(f.big)},
		{"GET", "/withindex/", 200, "<p>index.html</p>\n"},
		{"HEAD", "/sub/", 200, ""},
		{"GET", "/types/emptynoext", 200, ""},
		{"GET", "/%ED%B3%BF.txt", 200, "ff\n"},
	} {
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: test\r\n\r\n", tc.method, tc.target)
		req, _ := http.NewRequest(tc.method, tc.target, nil)
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.target, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s %s: reading body: %v", tc.method, tc.target, err)
		}
		if resp.StatusCode != tc.wantStatus || string(body) != tc.wantBody || resp.Close {
			t.Errorf("%s %s: got %d, %d bytes, close %v; want %d, %d bytes, kept open",
				tc.method, tc.target, resp.StatusCode, len(body), resp.Close, tc.wantStatus, len(tc.wantBody))
		}
	}
}

// TestServeRequestUnsupported checks the 501 page Python sends.
func TestServeRequestUnsupported(t *testing.T) {
	f := newFixture(t)
	srv := startServer(t, newHandler(t, f.root, false), "HTTP/1.0")
	resp, err := rawExchange(srv.addr, "BREW /pot HTTP/1.0\r\n\r\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<p>Error code: 501</p>",
		"<p>Message: Unsupported method ('BREW').</p>", // html.escape(quote=False)
	} {
		if !bytes.Contains(resp.body, []byte(want)) {
			t.Errorf("501 page does not hold %q:\n%s", want, resp.body)
		}
	}
	if got, want := srv.log.String(), `"BREW /pot HTTP/1.0" 501 -`; !strings.Contains(got, want) {
		t.Errorf("log: got\n%s\nwant a line holding %q", got, want)
	}
}

// TestNew checks the constructor's errors.
func TestNew(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	for _, tc := range []struct {
		name, dir string
		wantErr   bool
	}{
		{"dir", dir, false},
		{"relative", ".", false},
		{"missing", filepath.Join(dir, "missing"), true},
		{"file", file, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := New(tc.dir, false)
			if (err != nil) != tc.wantErr {
				t.Fatalf("New(%q): got error %v, want error %v", tc.dir, err, tc.wantErr)
			}
			if err != nil {
				return
			}
			defer h.Close()
			if !filepath.IsAbs(h.Dir) {
				t.Errorf("Dir: got %q, want an absolute path", h.Dir)
			}
		})
	}
}

// fileSpec is a file for serveFiles: its content, and its modification
// time when it matters (the zero time means now).
type fileSpec struct {
	content string
	mtime   time.Time
}

// serveFiles serves a fresh directory holding files, by slash-separated
// name, with a Handler that configure may set up, over HTTP/1.0 (closing
// after each response) and HTTP/1.1 (keeping connections open).
func serveFiles(t *testing.T, files map[string]fileSpec, configure func(*Handler)) (dir string, http10, http11 *testServer) {
	t.Helper()
	dir = t.TempDir()
	for name, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mtime := f.mtime
		if mtime.IsZero() {
			mtime = time.Now()
		}
		writeFile(t, p, f.content, mtime)
	}
	h := newHandler(t, dir, false)
	if configure != nil {
		configure(h)
	}
	return dir, startServer(t, h, "HTTP/1.0"), startServer(t, h, "HTTP/1.1")
}

// get sends method target with header lines to srv as a raw HTTP/1.0
// request, and fails the test if no answer comes.
func get(t *testing.T, srv *testServer, method, target string, header ...[2]string) *response {
	t.Helper()
	c := serveCase{target: target, header: header}
	resp, err := rawExchange(srv.addr, c.request(method))
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp
}

// newClient is a net/http client that keeps connections, follows no
// redirect and leaves Accept-Encoding and the body alone.
func newClient(t *testing.T) *http.Client {
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       20 * time.Second,
	}
	t.Cleanup(client.CloseIdleConnections)
	return client
}

// fileETagOf is the ETag the handler sends for the file at p.
func fileETagOf(t *testing.T, p string) string {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fileETag(info, "")
}

// writeFile writes content to p and sets its modification time.
func writeFile(t *testing.T, p, content string, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}
