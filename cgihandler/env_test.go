//go:build linux

package cgihandler

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCommandLine: argv as Python builds it, less an argument starting
// with "-" (CVE-2012-1823).
func TestCommandLine(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	tests := []struct {
		query string
		want  []string // after argv[0]
	}{
		{"", []string{""}}, // Python passes one empty argument
		{"?", []string{""}},
		{"?word", []string{"word"}},
		{"?two+words", []string{"two words"}},
		{"?a%20b%2Bc", []string{"a%20b%2Bc"}}, // nothing else is decoded
		{"?a=b", nil},
		{"?x+y=z", nil},
		{"?-s", nil},
		{"?-d+allow_url_include%3d1", nil},
		{"?+-s", []string{" -s"}},
	}
	for _, tt := range tests {
		resp := ts.get(t, "/cgi-bin/argv.sh"+tt.query)
		lines := strings.Split(strings.TrimSuffix(string(resp.body), "\n"), "\n")
		want := append([]string{strconv.Itoa(len(tt.want))}, tt.want...)
		if len(tt.want) == 1 && tt.want[0] == "" {
			want = []string{"1", ""}
		}
		if !slices.Equal(lines, want) {
			t.Errorf("%q: $# and arguments %q, want %q", tt.query, lines, want)
		}
	}
	// argv[0] is the script's name, not its path.
	if d := ts.dump(t, "GET /cgi-bin/self.cgi?x HTTP/1.0\r\n\r\n"); !slices.Equal(d.Args, []string{"self.cgi", "x"}) {
		t.Errorf("args %q", d.Args)
	}
}

// TestMetaVariables checks every meta-variable of RFC 3875 section 4.1
// and the extensions.
func TestMetaVariables(t *testing.T) {
	root := fixture(t)
	ts := startServer(t, newHandler(t, root), "HTTP/1.1")
	_, port, _ := net.SplitHostPort(ts.addr)
	body := "a=1&b=2"
	d := ts.dump(t, "POST /cgi-bin/self.cgi/extra/%7Einfo%2520x?q=%41+b&c=d HTTP/1.1\r\n"+
		"Host: www.example.com:8080\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: "+strconv.Itoa(len(body))+"\r\nAuthorization: Basic dXNlcjpwYXNz\r\nConnection: close\r\n\r\n"+body)
	want := map[string]string{
		"CONTENT_LENGTH":    "7",
		"CONTENT_TYPE":      "application/x-www-form-urlencoded",
		"GATEWAY_INTERFACE": "CGI/1.1",
		"PATH_INFO":         "/extra/~info%20x",
		"PATH_TRANSLATED":   root + "/extra/~info%20x",
		"QUERY_STRING":      "q=%41+b&c=d",
		"REMOTE_ADDR":       "127.0.0.1",
		"REMOTE_HOST":       "127.0.0.1",
		"REQUEST_METHOD":    "POST",
		"SCRIPT_NAME":       "/cgi-bin/self.cgi",
		"SERVER_NAME":       "www.example.com",
		"SERVER_PORT":       port,
		"SERVER_PROTOCOL":   "HTTP/1.1",
		"SERVER_SOFTWARE":   "httpserve-test",
		"REQUEST_URI":       "/cgi-bin/self.cgi/extra/%7Einfo%2520x?q=%41+b&c=d",
		"SCRIPT_FILENAME":   root + "/cgi-bin/self.cgi",
		"DOCUMENT_ROOT":     root,
		"REDIRECT_STATUS":   "200",
		"HTTP_HOST":         "www.example.com:8080",
		"HTTP_CONNECTION":   "close",
	}
	for k, v := range want {
		if got, ok := d.Env[k]; !ok || got != v {
			t.Errorf("%s = %q (set: %v), want %q", k, got, ok, v)
		}
	}
	for _, k := range []string{"AUTH_TYPE", "REMOTE_USER", "HTTPS", "HTTP_AUTHORIZATION", "HTTP_CONTENT_LENGTH", "HTTP_CONTENT_TYPE"} {
		if v, ok := d.Env[k]; ok {
			t.Errorf("%s = %q, want it unset", k, v)
		}
	}
	if remotePort, _ := strconv.Atoi(d.Env["REMOTE_PORT"]); remotePort <= 0 {
		t.Errorf("REMOTE_PORT = %q", d.Env["REMOTE_PORT"])
	}
	if d.StdinLen != int64(len(body)) {
		t.Errorf("stdin had %d bytes, want %d", d.StdinLen, len(body))
	}

	// Without a body, a type, PATH_INFO or query; HTTP/1.0 without Host.
	d = ts.dump(t, "GET /cgi-bin/self.cgi HTTP/1.0\r\n\r\n")
	for _, k := range []string{"CONTENT_LENGTH", "CONTENT_TYPE", "PATH_TRANSLATED"} {
		if v, ok := d.Env[k]; ok {
			t.Errorf("GET: %s = %q, want it unset", k, v)
		}
	}
	for k, v := range map[string]string{"PATH_INFO": "", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.0"} {
		if got, ok := d.Env[k]; !ok || got != v {
			t.Errorf("GET: %s = %q (set: %v), want %q", k, got, ok, v)
		}
	}
	// An empty body that says so has a length.
	if d = ts.dump(t, "POST /cgi-bin/self.cgi HTTP/1.0\r\nContent-Length: 0\r\n\r\n"); d.Env["CONTENT_LENGTH"] != "0" {
		t.Errorf("Content-Length: 0 gave CONTENT_LENGTH %q", d.Env["CONTENT_LENGTH"])
	}
	// A "?" decoded from %3F is part of PATH_INFO, not a second query.
	if d = ts.dump(t, "GET /cgi-bin/self.cgi/a%3Fb?c HTTP/1.0\r\n\r\n"); d.Env["PATH_INFO"] != "/a?b" || d.Env["QUERY_STRING"] != "c" {
		t.Errorf("PATH_INFO %q, QUERY_STRING %q", d.Env["PATH_INFO"], d.Env["QUERY_STRING"])
	}
	// SERVER_NAME keeps the brackets of an IPv6 literal.
	if d = ts.dump(t, "GET /cgi-bin/self.cgi HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n"); d.Env["SERVER_NAME"] != "[::1]" {
		t.Errorf("SERVER_NAME %q", d.Env["SERVER_NAME"])
	}
}

// TestHeaderVariables: each request header becomes HTTP_*, except those
// a script must not see.
func TestHeaderVariables(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	d := ts.dump(t, "GET /cgi-bin/self.cgi HTTP/1.0\r\n"+
		"X-Multi: one\r\nX-Multi: two\r\n"+
		"Cookie: a=1\r\nCookie: b=2\r\n"+
		"Proxy: http://evil.example/\r\n"+
		"Proxy-Authorization: Basic eDp5\r\n"+
		"Authorization: Bearer x\r\n"+
		"X_Underscore: sneaky\r\n"+
		"X-Dotted.Name: dots\r\n"+
		"user-agent: test/1.0\r\n"+
		"Referer: http://example.com/\r\n\r\n")
	want := map[string]string{
		"HTTP_X_MULTI":       "one, two",
		"HTTP_COOKIE":        "a=1; b=2",
		"HTTP_X_DOTTED.NAME": "dots",
		"HTTP_USER_AGENT":    "test/1.0",
		"HTTP_REFERER":       "http://example.com/",
	}
	for k, v := range want {
		if got := d.Env[k]; got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	for _, k := range []string{"HTTP_PROXY", "HTTP_PROXY_AUTHORIZATION", "HTTP_AUTHORIZATION", "HTTP_X_UNDERSCORE"} {
		if v, ok := d.Env[k]; ok {
			t.Errorf("%s = %q, want it unset", k, v)
		}
	}
}

// TestInheritedEnvironment: by default the server's environment is passed,
// less HTTP_* and meta-variable names.
func TestInheritedEnvironment(t *testing.T) {
	t.Setenv("CGITEST_KEEP", "kept")
	t.Setenv("HTTP_PROXY", "http://stale.example/")
	t.Setenv("SERVER_NAME", "stale.example")
	t.Setenv("PATH_INFO", "/stale")
	t.Setenv("REMOTE_USER", "admin")
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	d := ts.dump(t, "GET /cgi-bin/self.cgi HTTP/1.0\r\nHost: fresh.example\r\n\r\n")
	if d.Env["CGITEST_KEEP"] != "kept" || d.Env["PATH"] != os.Getenv("PATH") {
		t.Errorf("CGITEST_KEEP %q, PATH %q: not inherited", d.Env["CGITEST_KEEP"], d.Env["PATH"])
	}
	if d.Env["SERVER_NAME"] != "fresh.example" {
		t.Errorf("SERVER_NAME %q", d.Env["SERVER_NAME"])
	}
	for _, k := range []string{"HTTP_PROXY", "REMOTE_USER"} {
		if v, ok := d.Env[k]; ok {
			t.Errorf("%s = %q inherited", k, v)
		}
	}
	if v := d.Env["PATH_INFO"]; v != "" {
		t.Errorf("PATH_INFO = %q inherited, want the request's (empty)", v)
	}
	// The perl script sees the same.
	resp := ts.get(t, "/cgi-bin/env.pl")
	if !strings.Contains(string(resp.body), "\nCGITEST_KEEP=kept\n") || strings.Contains(string(resp.body), "HTTP_PROXY") {
		t.Errorf("perl's environment:\n%s", resp.body)
	}
}

// TestCleanEnvironment: CleanEnv passes PATH, LANG, LC_*, TZ and Env only,
// and Env can override meta-variables.
func TestCleanEnvironment(t *testing.T) {
	t.Setenv("CGITEST_DROP", "dropped")
	t.Setenv("CGITEST_PASS", "passed")
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_TIME", "C")
	t.Setenv("TZ", "UTC")
	h := newHandler(t, fixture(t), func(h *Handler) {
		h.CleanEnv = true
		h.Env = []string{"CGITEST_PASS", "CGITEST_SET=value=with=equals", "CGITEST_ABSENT", "SERVER_SOFTWARE=overridden", "GORACE"}
	})
	ts := startServer(t, h, "HTTP/1.0")
	d := ts.dump(t, "GET /cgi-bin/self.cgi HTTP/1.0\r\n\r\n")
	for k, v := range map[string]string{
		"CGITEST_PASS": "passed", "CGITEST_SET": "value=with=equals", "LANG": "C.UTF-8",
		"LC_TIME": "C", "TZ": "UTC", "PATH": os.Getenv("PATH"), "SERVER_SOFTWARE": "overridden",
	} {
		if d.Env[k] != v {
			t.Errorf("%s = %q, want %q", k, d.Env[k], v)
		}
	}
	for k := range d.Env {
		switch {
		case metaVariables[k], strings.HasPrefix(k, "LC_"),
			k == "PATH", k == "LANG", k == "TZ", k == "CGITEST_PASS", k == "CGITEST_SET", k == "GORACE":
		default:
			t.Errorf("unexpected variable %s=%q", k, d.Env[k])
		}
	}
	for _, bad := range []string{"", "=x", "A\x00B=c"} {
		h := &Handler{Files: h.Files, Env: []string{bad}}
		if err := h.Init(); err == nil {
			t.Errorf("Env %q: Init succeeded", bad)
		}
	}
}

// TestHTTPS: HTTPS=on for a request that came over TLS.
func TestHTTPS(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	ts := serveOn(t, newHandler(t, fixture(t)), "HTTP/1.0", ln)
	c, err := tls.Dial("tcp", ts.addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	c.Write([]byte("GET /cgi-bin/self.cgi HTTP/1.0\r\n\r\n"))
	resp := readResponse(t, bufio.NewReader(c), "GET")
	var d dump
	if err := json.Unmarshal(resp.body, &d); err != nil {
		t.Fatalf("%v: %q", err, resp.body)
	}
	if d.Env["HTTPS"] != "on" {
		t.Errorf("HTTPS = %q", d.Env["HTTPS"])
	}
}

// TestProcessSetup: the working directory is the script's (RFC 3875
// section 7.2), and the script inherits no descriptor but 0, 1 and 2.
func TestProcessSetup(t *testing.T) {
	root := fixture(t)
	ts := startServer(t, newHandler(t, root), "HTTP/1.0")
	d := ts.dump(t, "GET /cgi-bin/self.cgi HTTP/1.0\r\n\r\n")
	if d.Cwd != filepath.Join(root, "cgi-bin") {
		t.Errorf("working directory %q", d.Cwd)
	}
	if !slices.Equal(d.FDs, []int{0, 1, 2}) {
		t.Errorf("the script has descriptors %q, want 0, 1 and 2", d.FDTargets)
	}
	if d.UID != os.Geteuid() {
		t.Errorf("with User = the server's user, the script ran as uid %d", d.UID)
	}
}

// TestRunsAsNobody: a server running as root runs scripts as nobody,
// with nobody's group and no supplementary group of root's, and refuses
// a script only root may execute.
func TestRunsAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	h := newHandler(t, fixture(t), func(h *Handler) { h.User = "" })
	ts := startServer(t, h, "HTTP/1.0")
	resp := ts.get(t, "/cgi-bin/id.sh")
	lines := strings.Fields(string(resp.body))
	if len(lines) < 4 || lines[0] != "65534" || lines[1] != "65534" || lines[2] != "65534" {
		t.Errorf("id.sh as nobody: %s %q, want uid, gid and groups 65534", resp.Status, resp.body)
	}
	if resp := ts.get(t, "/cgi-bin/owneronly.sh"); resp.StatusCode != 403 {
		t.Errorf("a 0700 script owned by root: %s, want 403", resp.Status)
	}
	// The self script, as nobody, too.
	d := ts.dump(t, "GET /cgi-bin/self.cgi HTTP/1.0\r\n\r\n")
	if d.UID != 65534 || d.GID != 65534 {
		t.Errorf("self.cgi ran as %d:%d", d.UID, d.GID)
	}
	// A user that does not exist stops the handler before it serves.
	if err := (&Handler{Files: h.Files, User: "no-such-user-cgitest"}).Init(); err == nil {
		t.Error("an unknown User was accepted")
	}
}

// TestUserNotRoot: a server that is not root cannot switch users.
func TestUserNotRoot(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("needs a user other than root")
	}
	if err := (&Handler{Files: newHandler(t, fixture(t)).Files, User: "root"}).Init(); err == nil {
		t.Error("User root was accepted by a server that is not root")
	}
}
