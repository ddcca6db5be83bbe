//go:build linux

package cgihandler

import (
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCollapsePath(t *testing.T) {
	// Python's own vectors (test_url_collapse_path), with every ".."
	// refused, and a few of ours.
	tests := []struct {
		in, want string // want "" means refused
	}{
		{"/", "/"},
		{"//", "/"},
		{"/\\", "/\\"},
		{"/.//", "/"},
		{"/cgi-bin/file1.py", "/cgi-bin/file1.py"},
		{"//a", "/a"},
		{"/./a", "/a"},
		{"/a/b", "/a/b"},
		{"/a/b/", "/a/b/"},
		{"/a/b/.", "/a/b/"},
		{"/a/b/c/..", "/a/b/"},
		{"/a/b/c/../d", "/a/b/d"},
		{"/.//..", ""},
		{"/..", ""},
		{"/a/%2e%2e/b", "/b"},
		{"/a/%2E%2E", "/"},
		{"/a%2f..%2fb", "/b"},
		{"/cgi-bin%2ffile1.py", "/cgi-bin/file1.py"},
		{"/a%2fb/c", "/a/b/c"},
		{"/a/...", "/a/..."},
		{"/a/..b", "/a/..b"},
		{"/%zz/%4", "/%zz/%4"},
		{"/a%3Fb", "/a?b"},
		{"/%ED%B3%BF", "/\xff"},
	}
	for _, tt := range tests {
		got, err := collapsePath(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("collapsePath(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("collapsePath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestPyRepr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/cgi-bin/x", `'/cgi-bin/x'`},
		{"/cgi-bin/it's", `"/cgi-bin/it's"`},
		{`/a'b"c`, `'/a\'b"c'`},
		{"/a\\b", `'/a\\b'`},
		{"/a\tb\n\r", `'/a\tb\n\r'`},
		{"/\x01\x7f", `'/\x01\x7f'`},
		{"/é", `'/é'`},
		{"/\u00a0\u00ad\u2028", `'/\xa0\xad\u2028'`},
		{"/\xff", "'/\ufffd'"},
		{"/\U000e0001", `'/\U000e0001'`},
	}
	for _, tt := range tests {
		if got := pyRepr(tt.in); got != tt.want {
			t.Errorf("pyRepr(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestDiscovery covers is_cgi and run_cgi's lookup: which paths run a
// script, and the errors, with Python's messages.
func TestDiscovery(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	tests := []struct {
		name, method, target string
		wantStatus           int
		wantInBody           string
	}{
		{"script", "GET", "/cgi-bin/hello.sh", 200, "hello from sh"},
		{"htbin", "GET", "/htbin/hello.sh", 200, "hello from sh"},
		{"encoded slash", "GET", "/cgi-bin%2fhello.sh", 200, "hello from sh"},
		{"double slashes", "GET", "//cgi-bin//hello.sh", 200, "hello from sh"},
		{"dot elements", "GET", "/./cgi-bin/./hello.sh", 200, "hello from sh"},
		{"perl", "GET", "/cgi-bin/hello.pl?x", 200, "hello from perl GET x"},
		{"python", "GET", "/cgi-bin/file1.py", 200, "Hello World"},
		{"nested directory", "GET", "/cgi-bin/child-dir/file3.py", 200, "Hello World"},
		{"path info", "GET", "/cgi-bin/hello.sh/more/path", 200, "hello from sh"},
		{"symlink inside the root", "GET", "/cgi-bin/inside-link.sh", 200, "hello from sh"},
		{"missing", "GET", "/cgi-bin/nothere", 404, "No such CGI script ('/cgi-bin/nothere')"},
		{"missing in missing dir", "GET", "/cgi-bin/no/such/x", 404, "No such CGI script ('/cgi-bin/no')"},
		{"quote in name", "GET", "/cgi-bin/it's-not.sh", 404, `No such CGI script ("/cgi-bin/it's-not.sh")`},
		{"quoted name runs", "GET", "/cgi-bin/it's.sh", 200, "hello from sh"},
		{"symlink outside the root", "GET", "/cgi-bin/escape.sh", 404, "No such CGI script"},
		{"in a directory symlink leading outside", "GET", "/cgi-bin/outdir/true", 404, "No such CGI script ('/cgi-bin/outdir/true')"},
		{"directory symlink leading outside, as a file", "GET", "/cgi-bin/outdir/true#/../../../x", 404, "File not found"},
		{"in a directory symlink inside the root", "GET", "/cgi-bin/linkdir/file3.py", 200, "Hello World"},
		{"encoded question mark", "GET", "/cgi-bin/hello.sh%3Fx=1", 404, "No such CGI script ('/cgi-bin/hello.sh?x=1')"},
		{"encoded NUL", "GET", "/cgi-bin/hello.sh%00", 404, "No such CGI script ('/cgi-bin/hello.sh\\x00')"},
		{"directory", "GET", "/cgi-bin/", 403, "CGI script is not a plain file ('/cgi-bin/')"},
		{"subdirectory", "GET", "/cgi-bin/subdir", 403, "CGI script is not a plain file ('/cgi-bin/subdir')"},
		{"not executable", "GET", "/cgi-bin/notexec.sh", 403, "CGI script is not executable ('/cgi-bin/notexec.sh')"},
		{"dot-dot resolved as in Python", "GET", "/cgi-bin/../cgi-bin/hello.sh", 200, "hello from sh\n"},
		{"dot-dot leaving the CGI dir", "GET", "/cgi-bin/../hello.sh", 404, ""},
		{"dot-dot above the root", "GET", "/cgi-bin/../../../bin/true", 404, ""},
		{"encoded dot-dot", "GET", "/cgi-bin/%2e%2e/%2e%2e/bin/sh", 404, ""},
		{"encoded dot-dot and slash", "GET", "/cgi-bin%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404, ""},
		{"dot-dot outside any CGI dir", "GET", "/../../etc/passwd", 404, ""},
		{"Python's issue 19435", "GET", "///////////nocgi.py/../cgi-bin/nothere.sh", 404, ""},
		{"dot-dot in PATH_INFO", "GET", "/cgi-bin/hello.sh/../../x", 404, ""},
		{"not a CGI dir", "GET", "/cgi-binx/hello.sh", 404, "File not found"},
		{"CGI dir itself", "GET", "/cgi-bin", 301, ""},
		{"plain file", "GET", "/index.html", 200, "<p>index</p>"},
		{"script outside a CGI dir is a file", "GET", "/nocgi.py", 200, "print(\"Hello World\")"},
		// Files cuts the path at "#", the CGI handler does not: the
		// fragment must not turn a script into a file whose source is sent.
		{"fragment hiding a script", "GET", "/cgi-bin/hello.sh#/../../index.html", 404, "File not found"},
		{"fragment hiding a script in htbin", "GET", "/htbin/hello.sh#/x/../../../y", 404, "File not found"},
		{"POST to a file", "POST", "/index.html", 501, "Can only POST to CGI scripts"},
		{"POST to a missing script", "POST", "/cgi-bin/nothere", 404, "No such CGI script"},
		{"POST to a script", "POST", "/cgi-bin/hello.sh", 200, "hello from sh"},
		{"PUT to a file", "PUT", "/index.html", 501, "Unsupported method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.do(t, tt.method+" "+tt.target+" HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(resp.body), tt.wantInBody) {
				t.Errorf("%s %s: got %s with body %q; want %d with %q", tt.method, tt.target,
					resp.Status, resp.body, tt.wantStatus, tt.wantInBody)
			}
		})
	}
}

// TestMethods: every method runs a script, not only GET, HEAD and POST.
func TestMethods(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"} {
		d := ts.dump(t, m+" /cgi-bin/self.cgi HTTP/1.0\r\n\r\n")
		if got := d.Env["REQUEST_METHOD"]; got != m {
			t.Errorf("%s: REQUEST_METHOD = %q", m, got)
		}
	}
}

// TestCustomDirs: Dirs replaces the defaults, and a CGI directory may be
// several elements deep (Python's test_cgi_path_in_sub_directories).
func TestCustomDirs(t *testing.T) {
	h := newHandler(t, fixture(t), func(h *Handler) { h.Dirs = []string{"/sub/dir/cgi-bin/", "/htbin"} })
	ts := startServer(t, h, "HTTP/1.0")
	if resp := ts.get(t, "/sub/dir/cgi-bin/file5.py"); resp.StatusCode != 200 || string(resp.body) != "Hello World\n" {
		t.Errorf("file5.py: %s %q", resp.Status, resp.body)
	}
	if resp := ts.get(t, "/htbin/hello.sh"); resp.StatusCode != 200 {
		t.Errorf("htbin: %s", resp.Status)
	}
	// /cgi-bin is a plain directory now: the script is served as a file.
	if resp := ts.get(t, "/cgi-bin/hello.sh"); resp.StatusCode != 200 || string(resp.body) != helloSh {
		t.Errorf("/cgi-bin/hello.sh: %s %q, want the file itself", resp.Status, resp.body)
	}
	for _, bad := range [][]string{{"/"}, {"/a/../b"}} {
		h := &Handler{Files: h.Files, Dirs: bad}
		if err := h.Init(); err == nil {
			t.Errorf("Dirs %q: Init succeeded", bad)
		}
	}
}

// TestPythonSuite runs CPython's CGIHTTPServerTestCase against the
// handler, with the Python scripts it uses.
func TestPythonSuite(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	check := func(name string, resp *response, wantStatus int, wantBody string) {
		t.Helper()
		if resp.StatusCode != wantStatus || string(resp.body) != wantBody {
			t.Errorf("%s: got %s %q; want %d %q", name, resp.Status, resp.body, wantStatus, wantBody)
		}
	}
	hello := ts.get(t, "/cgi-bin/file1.py")
	check("test_headers_and_content", hello, 200, "Hello World\n")
	if got := hello.Header.Get("Content-type"); got != "text/html" {
		t.Errorf("test_headers_and_content: Content-type %q", got)
	}
	if hello.Status != "200 Script output follows" {
		t.Errorf("status line %q, want Python's reason phrase", hello.Status)
	}
	if resp := ts.get(t, "///////////nocgi.py/../cgi-bin/nothere.sh"); resp.StatusCode != 404 {
		t.Errorf("test_issue19435: %s", resp.Status)
	}
	params := url.Values{"spam": {"1"}, "eggs": {"python"}, "bacon": {"123456"}}.Encode()
	check("test_post", ts.do(t, "POST /cgi-bin/file2.py HTTP/1.0\r\nContent-type: application/x-www-form-urlencoded\r\nContent-Length: "+
		strconv.Itoa(len(params))+"\r\n\r\n"+params), 200, "1, python, 123456\n")
	if resp := ts.get(t, "/cgi-bin/invalid"); resp.StatusCode != 404 {
		t.Errorf("test_invaliduri: %s", resp.Status)
	}
	check("test_authorization", ts.do(t, "GET /cgi-bin/file1.py HTTP/1.0\r\nAuthorization: Basic "+
		base64.StdEncoding.EncodeToString([]byte("username:pass"))+"\r\n\r\n"), 200, "Hello World\n")
	check("test_urlquote_decoding_in_cgi_check", ts.get(t, "/cgi-bin%2ffile1.py"), 200, "Hello World\n")
	check("test_nested_cgi_path_issue21323", ts.get(t, "/cgi-bin/child-dir/file3.py"), 200, "Hello World\n")
	check("test_query_with_multiple_question_mark", ts.get(t, "/cgi-bin/file4.py?a=b?c=d"), 200, "a=b?c=d\n")
	check("test_query_with_continuous_slashes", ts.get(t, "/cgi-bin/file4.py?k=aa%2F%2Fbb&//q//p//=//a//b//"),
		200, "k=aa%2F%2Fbb&//q//p//=//a//b//\n")

	// test_os_environ_is_not_altered: the server's environment is a copy.
	if got := os.Getenv("SERVER_SOFTWARE"); got != "" {
		t.Errorf("the test process has SERVER_SOFTWARE=%q", got)
	}

	// test_accept: repeated fields are joined with ", " here (Python: ",").
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tt := range []struct{ headers, want string }{
		{"Accept: " + browser + "\r\n", "HTTP_ACCEPT=" + browser + "\n"},
		{"Accept: text/html\r\nACCEPT: text/plain\r\n", "HTTP_ACCEPT=text/html, text/plain\n"},
	} {
		resp := ts.do(t, "GET /cgi-bin/file6.py HTTP/1.0\r\n"+tt.headers+"\r\n")
		if resp.StatusCode != 200 || !strings.Contains(string(resp.body), tt.want) {
			t.Errorf("test_accept %q: %s %q", tt.headers, resp.Status, resp.body)
		}
		if resp.Header.Get("X-ambv") != "was here" {
			t.Errorf("test_accept: X-ambv %q", resp.Header.Get("X-ambv"))
		}
	}
	if resp := ts.get(t, "/cgi-bin/file6.py"); strings.Contains(string(resp.body), "HTTP_ACCEPT=") {
		t.Errorf("no Accept, yet HTTP_ACCEPT is set (Python sets it empty; RFC 3875 does not)")
	}
}

// TestBadContentLength: a request whose body length is ambiguous never
// reaches a script; basehandler answers 400.
func TestBadContentLength(t *testing.T) {
	dir := scratch(t)
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	marker := filepath.Join(dir, "ran")
	target := "/cgi-bin/self.cgi?" + url.Values{"do": {"hang"}, "pidfile": {marker}, "gate": {marker}}.Encode()
	for _, cl := range []string{
		"Content-Length: abc\r\n",
		"Content-Length: -1\r\n",
		"Content-Length: 1 2\r\n",
		"Content-Length: 3\r\nContent-Length: 4\r\n",
		"Content-Length: 3, 4\r\n",
		"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
	} {
		resp := ts.do(t, "POST "+target+" HTTP/1.1\r\nHost: x\r\n"+cl+"\r\nabcd")
		if resp.StatusCode != 400 {
			t.Errorf("%q: %s, want 400", cl, resp.Status)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a script ran")
	}
}

// TestCGIDirSymlink: a CGI directory that is itself a symlink runs the
// scripts it leads to only when they lie inside the document root; and
// its scripts are never sent as files.
func TestCGIDirSymlink(t *testing.T) {
	base := t.TempDir()
	os.Chmod(base, 0o755)
	root, outside := filepath.Join(base, "root"), filepath.Join(base, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "real-cgi")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{outside, filepath.Join(root, "real-cgi")} {
		if err := os.WriteFile(filepath.Join(d, "hello.sh"), []byte(helloSh), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "cgi-bin")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real-cgi", filepath.Join(root, "htbin")); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, newHandler(t, root), "HTTP/1.0")
	for _, tt := range []struct {
		target     string
		wantStatus int
		wantBody   string
	}{
		{"/cgi-bin/hello.sh", 404, "No such CGI script"},
		{"/cgi-bin/hello.sh#/../../x", 404, "File not found"},
		{"/htbin/hello.sh", 200, "hello from sh\n"},
	} {
		resp := ts.get(t, tt.target)
		if resp.StatusCode != tt.wantStatus || !strings.Contains(string(resp.body), tt.wantBody) {
			t.Errorf("GET %s: %s %q; want %d with %q", tt.target, resp.Status, resp.body, tt.wantStatus, tt.wantBody)
		}
	}
}
