package main

// End-to-end tests of httpserve's own flags: --header, --cors, the
// listing flags, --compress and --cgi with the CGI flags.

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// do sends one request with the given header fields, without the
// client's transparent decompression, and returns the response with its
// body read.
func do(t *testing.T, method, url string, header map[string]string, body string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Timeout: 20 * time.Second, Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestE2EHeader(t *testing.T) {
	dir := serveDir(t)
	p := start(t, "--header", "Cache-Control: no-store, max-age=0", "--header=X-Frame-Options:DENY",
		"-b", "127.0.0.1", "-d", dir, "0")
	_, port := p.banner(t)
	for _, path := range []string{"/hello.txt", "/", "/missing"} {
		resp, _ := do(t, "GET", fmt.Sprintf("http://127.0.0.1:%d%s", port, path), nil, "")
		if got := resp.Header.Values("Cache-Control"); !slices.Equal(got, []string{"no-store, max-age=0"}) {
			t.Errorf("GET %s (%s): Cache-Control %q, want %q", path, resp.Status, got, "no-store, max-age=0")
		}
		if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("GET %s (%s): X-Frame-Options %q, want DENY", path, resp.Status, got)
		}
	}
}

func TestE2ECORS(t *testing.T) {
	dir := serveDir(t)
	preflight := map[string]string{
		"Origin":                         "https://example.com",
		"Access-Control-Request-Method":  "GET",
		"Access-Control-Request-Headers": "range",
	}
	t.Run("on", func(t *testing.T) {
		p := start(t, "--cors", "-b", "127.0.0.1", "-d", dir, "0")
		_, port := p.banner(t)
		url := fmt.Sprintf("http://127.0.0.1:%d/hello.txt", port)
		resp, _ := do(t, "OPTIONS", url, preflight, "")
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("preflight: %s, want 204", resp.Status)
		}
		for k, want := range map[string]string{
			"Access-Control-Allow-Origin":  "*",
			"Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
			"Access-Control-Max-Age":       "86400",
		} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("preflight: %s %q, want %q", k, got, want)
			}
		}
		if got := resp.Header.Get("Access-Control-Allow-Headers"); !strings.EqualFold(got, "range") {
			t.Errorf("preflight: Access-Control-Allow-Headers %q, want range", got)
		}
		resp, body := do(t, "GET", url, map[string]string{"Origin": "https://example.com"}, "")
		if resp.StatusCode != 200 || body != "hello\n" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET: %s %q, Access-Control-Allow-Origin %q; want 200, the file, *",
				resp.Status, body, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("off", func(t *testing.T) {
		p := start(t, "-b", "127.0.0.1", "-d", dir, "0")
		_, port := p.banner(t)
		resp, _ := do(t, "OPTIONS", fmt.Sprintf("http://127.0.0.1:%d/hello.txt", port), preflight, "")
		if resp.StatusCode != http.StatusNotImplemented || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight without --cors: %s, Access-Control-Allow-Origin %q; want 501 as Python, none",
				resp.Status, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
}

// listingDir makes a directory to list: files of different sizes and
// ages, a directory, and dot-files.
func listingDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for name, size := range map[string]int{"a.txt": 300, "B.txt": 10, "c.txt": 2000, ".env": 5, ".git/config": 5, "sub/x.txt": 1} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// c.txt is the oldest, B.txt the newest.
	for i, name := range []string{"c.txt", "a.txt", "sub", "B.txt"} {
		mt := old.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(filepath.Join(dir, name), mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var hrefRE = regexp.MustCompile(`<li><a href="([^"]+)">`)

// listed returns the links of a listing's entries, in order.
func listed(body string) []string {
	var names []string
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestE2EListingFlags(t *testing.T) {
	dir := listingDir(t)
	tests := []struct {
		name     string
		args     []string
		path     string
		wantCode int
		want     []string // the links, in order
	}{
		{"Python's order", nil, "/", 200, []string{".env", ".git/", "a.txt", "B.txt", "c.txt", "sub/"}},
		{"by size, descending", []string{"--sort", "size", "--order", "desc"}, "/", 200, []string{"c.txt", "a.txt", "B.txt"}},
		{"by time, directories first", []string{"--sort=time", "--dirs-first", "--hide-dotfiles"}, "/", 200, []string{"sub/", "c.txt", "a.txt", "B.txt"}},
		{"the query wins", []string{"--sort", "size", "--order", "desc"}, "/?sort=name&order=asc&dirs=mixed", 200, []string{".env", ".git/", "a.txt", "B.txt", "c.txt", "sub/"}},
		{"hidden dot-files", []string{"--hide-dotfiles"}, "/", 200, []string{"a.txt", "B.txt", "c.txt", "sub/"}},
		{"a hidden dot-file", []string{"--hide-dotfiles"}, "/.env", 404, nil},
		{"in a hidden directory", []string{"--hide-dotfiles"}, "/.git/config", 404, nil},
		{"no listing", []string{"--no-listing"}, "/", 403, nil},
		{"no listing, files still served", []string{"--no-listing"}, "/a.txt", 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := start(t, append(tt.args, "-b", "127.0.0.1", "-d", dir, "0")...)
			_, port := p.banner(t)
			resp, body := do(t, "GET", fmt.Sprintf("http://127.0.0.1:%d%s", port, tt.path), nil, "")
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("GET %s: %s, want %d", tt.path, resp.Status, tt.wantCode)
			}
			if tt.want == nil {
				return
			}
			got := listed(body)
			// Entries not in want may follow (the sort tests name a
			// prefix of the order).
			if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Errorf("GET %s lists %q, want %q first", tt.path, got, tt.want)
			}
		})
	}
}

func TestE2ECompress(t *testing.T) {
	dir := t.TempDir()
	text := strings.Repeat("all work and no play makes jack a dull boy\n", 200)
	if err := os.WriteFile(filepath.Join(dir, "big.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args        []string
		wantEncoded bool
	}{{[]string{"--compress"}, true}, {nil, false}} {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			p := start(t, append(tt.args, "-b", "127.0.0.1", "-d", dir, "0")...)
			_, port := p.banner(t)
			resp, body := do(t, "GET", fmt.Sprintf("http://127.0.0.1:%d/big.txt", port), map[string]string{"Accept-Encoding": "gzip"}, "")
			encoded := resp.Header.Get("Content-Encoding") == "gzip"
			if resp.StatusCode != 200 || encoded != tt.wantEncoded {
				t.Fatalf("GET /big.txt: %s, Content-Encoding %q; want 200, gzip %v", resp.Status, resp.Header.Get("Content-Encoding"), tt.wantEncoded)
			}
			if encoded && len(body) >= len(text)/4 {
				t.Errorf("gzip body of %d bytes for %d bytes of repetitive text", len(body), len(text))
			}
		})
	}
}

// cgiDir makes a served directory with CGI scripts that any user may run:
// the tests run as root, so the scripts run as nobody, who must be able
// to reach them (t.TempDir makes 0700 directories).
func cgiDir(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh to run the scripts")
	}
	dir := serveDir(t)
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	scripts := map[string]string{
		"cgi-bin/env.sh": `#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
echo "method=$REQUEST_METHOD query=$QUERY_STRING greeting=$GREETING software=$SERVER_SOFTWARE uid=$(id -u)"
cat
`,
		"cgi-bin/slow.sh": "#!/bin/sh\nsleep 30\n",
		"scripts/hi.sh":   "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nhi from scripts\\n'\n",
		"scripts/home.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nhome=[%s]\\n' \"$HOME\"\n",
	}
	for name, body := range scripts {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestE2ECGI(t *testing.T) {
	needBinary(t)
	dir := cgiDir(t)
	p := start(t, "--cgi", "--cgi-env", "GREETING=hello, world", "-b", "127.0.0.1", "-d", dir, "0")
	host, port := p.banner(t)
	want := fmt.Sprintf("Serving HTTP on %s port %d (http://%s:%d/) ...\n", host, port, host, port)
	if got := p.stdout.String(); got != want {
		t.Errorf("stdout = %q, want Python's banner %q", got, want)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	resp, body := do(t, "GET", base+"/cgi-bin/env.sh?x=1", nil, "")
	wantPrefix := "method=GET query=x=1 greeting=hello, world software=httpserve/" + e2eVersion + " uid="
	if resp.StatusCode != 200 || !strings.HasPrefix(body, wantPrefix) {
		t.Fatalf("GET /cgi-bin/env.sh?x=1: %s %q, want 200 %q…\nstderr:\n%s", resp.Status, body, wantPrefix, p.stderr.String())
	}
	if os.Geteuid() == 0 {
		// No number when id(1) is missing: then there is nothing to check.
		if uid, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(body, wantPrefix))); err == nil && uid == 0 {
			t.Errorf("the script ran as root, want nobody: %q", body)
		}
	}
	resp, body = do(t, "POST", base+"/cgi-bin/env.sh", map[string]string{"Content-Type": "text/plain"}, "posted body")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "method=POST") || !strings.HasSuffix(body, "\nposted body") {
		t.Errorf("POST /cgi-bin/env.sh: %s %q, want 200 with the body echoed", resp.Status, body)
	}
	resp, _ = do(t, "POST", base+"/hello.txt", nil, "x")
	if resp.StatusCode != http.StatusNotImplemented {
		t.Errorf("POST /hello.txt: %s, want 501 as Python", resp.Status)
	}
	resp, body = do(t, "GET", base+"/hello.txt", nil, "")
	if resp.StatusCode != 200 || body != "hello\n" {
		t.Errorf("GET /hello.txt = %s %q, want 200 %q", resp.Status, body, "hello\n")
	}
	if strings.Contains(p.stderr.String(), "warning") {
		t.Errorf("stderr has a warning:\n%s", p.stderr.String())
	}
}

func TestE2ECGIFlags(t *testing.T) {
	needBinary(t)
	dir := cgiDir(t)
	p := start(t, "--cgi", "--cgi-dir", "/scripts", "--cgi-timeout", "1s", "--cgi-max", "2",
		"--cgi-clean-env", "-b", "127.0.0.1", "-d", dir, "0")
	_, port := p.banner(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	resp, body := do(t, "GET", base+"/scripts/hi.sh", nil, "")
	if resp.StatusCode != 200 || body != "hi from scripts\n" {
		t.Errorf("GET /scripts/hi.sh = %s %q, want the script's output", resp.Status, body)
	}
	// /cgi-bin is no CGI directory now: its files are served as files.
	resp, body = do(t, "GET", base+"/cgi-bin/env.sh", nil, "")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "#!/bin/sh\n") {
		t.Errorf("GET /cgi-bin/env.sh = %s %q, want the script's text", resp.Status, body)
	}

	// --cgi-clean-env: the server's HOME is not passed on.
	if os.Getenv("HOME") != "" {
		resp, body = do(t, "GET", base+"/scripts/home.sh", nil, "")
		if resp.StatusCode != 200 || body != "home=[]\n" {
			t.Errorf("GET /scripts/home.sh = %s %q, want no HOME with --cgi-clean-env", resp.Status, body)
		}
	}

	if err := os.Rename(filepath.Join(dir, "cgi-bin", "slow.sh"), filepath.Join(dir, "scripts", "slow.sh")); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	resp, _ = do(t, "GET", base+"/scripts/slow.sh", nil, "")
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("GET /scripts/slow.sh: %s, want 504 after --cgi-timeout 1s", resp.Status)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("the timed-out script was answered after %v", d)
	}
}

func TestE2ECGIErrors(t *testing.T) {
	dir := serveDir(t)
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"unknown user", []string{"--cgi", "--cgi-user", "no-such-user-httpserve"},
			`httpserve: error: --cgi-user "no-such-user-httpserve": no such user` + "\n"},
		{"flag without --cgi", []string{"--cgi-dir", "/x"}, "httpserve: error: --cgi-dir requires --cgi\n"},
		{"relative directory", []string{"--cgi", "--cgi-dir", "x"}, `httpserve: error: --cgi-dir "x" is not a directory path` + "\n"},
		{"bad timeout", []string{"--cgi", "--cgi-timeout=-5s"}, "httpserve: error: --cgi-timeout -5s is negative\n"},
		{"bad header", []string{"--header", "X-A"}, `httpserve: error: --header "X-A" has no colon` + "\n"},
		{"bad sort", []string{"--sort", "date"}, `httpserve: error: --sort must be one of "name","size","time" but got "date"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runBinary(t, append(tt.args, "-b", "127.0.0.1", "-d", dir, "0")...)
			if code != 2 || stdout != "" {
				t.Errorf("exit status %d, stdout %q; want 2, nothing", code, stdout)
			}
			if !strings.HasPrefix(stderr, tt.wantStderr) || !strings.Contains(stderr, "\nhttpserve: hint: ") {
				t.Errorf("stderr = %q, want it to start with %q and give a hint", stderr, tt.wantStderr)
			}
		})
	}
}
