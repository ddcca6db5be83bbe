//go:build linux

package cgihandler

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestBodyContentLength: exactly Content-Length bytes reach stdin, and
// 100-continue is honoured.
func TestBodyContentLength(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	d := ts.dump(t, "POST /cgi-bin/self.cgi HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello")
	if d.StdinLen != 5 || d.StdinSHA != sha([]byte("hello")) || d.Env["CONTENT_LENGTH"] != "5" {
		t.Errorf("stdin %d bytes %s, CONTENT_LENGTH %q", d.StdinLen, d.StdinSHA, d.Env["CONTENT_LENGTH"])
	}

	// Expect: 100-continue: the body is sent after the interim response.
	c := dial(t, ts)
	io.WriteString(c, "PUT /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\n")
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("interim response %q, %v", line, err)
	}
	br.ReadString('\n')
	io.WriteString(c, "abc")
	resp := readResponse(t, br, "PUT")
	if err := json.Unmarshal(resp.body, &d); err != nil || d.StdinSHA != sha([]byte("abc")) {
		t.Errorf("after 100-continue: %v, stdin %d bytes", err, d.StdinLen)
	}
}

// TestBodyBeyondContentLength: bytes after the body are the next request,
// never the script's.
func TestBodyBeyondContentLength(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	c := dial(t, ts)
	io.WriteString(c, "POST /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"+
		"GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	br := bufio.NewReader(c)
	first := readResponse(t, br, "POST")
	var d dump
	if err := json.Unmarshal(first.body, &d); err != nil || d.StdinLen != 5 || d.StdinSHA != sha([]byte("hello")) {
		t.Errorf("first: %v, stdin %d bytes", err, d.StdinLen)
	}
	if second := readResponse(t, br, "GET"); string(second.body) != "hello from sh\n" {
		t.Errorf("second: %s %q", second.Status, second.body)
	}
}

// TestBodyChunked: a chunked body is de-chunked, and passed with its
// length in CONTENT_LENGTH.
func TestBodyChunked(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	d := ts.dump(t, "POST /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"+
		"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n")
	if d.StdinLen != 12 || d.StdinSHA != sha([]byte("hello, world")) || d.Env["CONTENT_LENGTH"] != "12" {
		t.Errorf("stdin %d bytes, CONTENT_LENGTH %q", d.StdinLen, d.Env["CONTENT_LENGTH"])
	}
	if _, ok := d.Env["HTTP_TRANSFER_ENCODING"]; ok {
		t.Error("HTTP_TRANSFER_ENCODING is set, for a body the script gets de-chunked")
	}
	d = ts.dump(t, "POST /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
	if d.StdinLen != 0 || d.Env["CONTENT_LENGTH"] != "0" {
		t.Errorf("empty chunked body: stdin %d bytes, CONTENT_LENGTH %q", d.StdinLen, d.Env["CONTENT_LENGTH"])
	}
	// A broken chunked body is the client's error; no script runs.
	resp := ts.do(t, "POST /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
	if resp.StatusCode != 400 {
		t.Errorf("bad chunk size: %s", resp.Status)
	}
}

// TestBodyChunkedLimit: a chunked body is spooled to disk before the
// script starts, so its size is bounded (MaxChunkedBody): past the bound
// the client gets 413, no script runs and the connection is closed.
func TestBodyChunkedLimit(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t), func(h *Handler) { h.MaxChunkedBody = 10 }), "HTTP/1.1")
	d := ts.dump(t, "POST /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"+
		"5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n")
	if d.StdinLen != 10 || d.Env["CONTENT_LENGTH"] != "10" {
		t.Errorf("a body of exactly the limit: stdin %d bytes, CONTENT_LENGTH %q", d.StdinLen, d.Env["CONTENT_LENGTH"])
	}
	c := dial(t, ts)
	io.WriteString(c, "POST /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"+
		"5\r\nhello\r\n6\r\nworld!\r\n")
	br := bufio.NewReader(c)
	resp := readResponse(t, br, "POST")
	if resp.StatusCode != 413 {
		t.Errorf("a body over the limit: %s %q; want 413", resp.Status, resp.body)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := br.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after 413: read %d bytes, %v; want the connection closed", n, err)
	}

	// The default bound is DefaultMaxChunkedBody.
	if h := newHandler(t, fixture(t)); h.cfg.maxChunked != DefaultMaxChunkedBody {
		t.Errorf("default bound %d; want %d", h.cfg.maxChunked, DefaultMaxChunkedBody)
	}
	if h := newHandler(t, fixture(t), func(h *Handler) { h.MaxChunkedBody = -1 }); h.cfg.maxChunked != 0 {
		t.Errorf("MaxChunkedBody -1: bound %d; want 0 (none)", h.cfg.maxChunked)
	}
}

// pattern is a reproducible stream of n bytes that is not held in memory.
type pattern struct{ n, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n-p.off)]
	for i := range b {
		x := p.off + int64(i)
		b[i] = byte(x ^ x>>8 ^ x>>16)
	}
	p.off += int64(len(b))
	return len(b), nil
}

// TestBodyLarge streams 20 MiB through a script, both ways at once, and
// checks that neither direction was held whole in memory.
func TestBodyLarge(t *testing.T) {
	const size = 20 << 20
	h := sha256.New()
	io.Copy(h, &pattern{n: size})
	want := hex.EncodeToString(h.Sum(nil))
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := dial(t, ts)
	go func() {
		io.WriteString(c, "POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "+strconv.Itoa(size)+"\r\n\r\n")
		io.Copy(c, &pattern{n: size})
	}()
	br := bufio.NewReader(c)
	resp, got := readStreamed(t, br)
	runtime.ReadMemStats(&after)
	if resp != 200 || got != want {
		t.Errorf("echo through cat: status %d, digest %s, want %s", resp, got, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/2 {
		t.Errorf("%d bytes allocated to stream %d: the body was buffered", alloc, size)
	}

	// Chunked, through the temporary file, into the self script's digest.
	c = dial(t, ts)
	go func() {
		bw := bufio.NewWriter(c)
		io.WriteString(bw, "POST /cgi-bin/self.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
		buf := make([]byte, 100_000)
		for p := (&pattern{n: size}); ; {
			n, err := p.Read(buf)
			if n > 0 {
				fmt.Fprintf(bw, "%x\r\n%s\r\n", n, buf[:n])
			}
			if err != nil {
				break
			}
		}
		io.WriteString(bw, "0\r\n\r\n")
		bw.Flush()
	}()
	r := readResponse(t, bufio.NewReader(c), "POST")
	var d dump
	if err := json.Unmarshal(r.body, &d); err != nil || d.StdinLen != size || d.StdinSHA != want || d.Env["CONTENT_LENGTH"] != strconv.Itoa(size) {
		t.Errorf("chunked: %v; %d bytes, digest %s, CONTENT_LENGTH %q", err, d.StdinLen, d.StdinSHA, d.Env["CONTENT_LENGTH"])
	}
}

// readStreamed reads a response and returns its status and the digest of
// its body, without keeping the body.
func readStreamed(t *testing.T, br *bufio.Reader) (int, string) {
	t.Helper()
	resp, err := httpReadResponse(br, "POST")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, resp.Body); err != nil {
		t.Errorf("reading the body: %v", err)
	}
	return resp.StatusCode, hex.EncodeToString(h.Sum(nil))
}

// TestBodyUnread: a script that never reads its stdin still answers.
func TestBodyUnread(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	for _, size := range []int{10, 100 << 10, 4 << 20} {
		c := dial(t, ts)
		go func() {
			io.WriteString(c, "POST /cgi-bin/noread.sh HTTP/1.1\r\nHost: x\r\nContent-Length: "+strconv.Itoa(size)+"\r\n\r\n")
			io.Copy(c, &pattern{n: int64(size)}) // may fail: the server may close instead of reading
		}()
		br := bufio.NewReader(c)
		resp := readResponse(t, br, "POST")
		if resp.StatusCode != 200 || string(resp.body) != "ignored the body\n" {
			t.Errorf("%d bytes: %s %q", size, resp.Status, resp.body)
		}
		if size <= 100<<10 {
			// A small body is discarded and the connection goes on.
			io.WriteString(c, "GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n\r\n")
			if resp := readResponse(t, br, "GET"); string(resp.body) != "hello from sh\n" {
				t.Errorf("%d bytes, next request: %s %q", size, resp.Status, resp.body)
			}
		}
	}
}

// TestResponseHeader: the header block a script writes (RFC 3875 section
// 6) becomes the status line and fields.
func TestResponseHeader(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	tests := []struct {
		name, out  string
		wantStatus string // the whole status, reason included
		wantHeader map[string]string
		wantBody   string
	}{
		{"no status", "Content-Type: text/plain\n\nbody", "200 Script output follows",
			map[string]string{"Content-Type": "text/plain"}, "body"},
		{"CRLF", "Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody", "200 Script output follows",
			map[string]string{"X-A": "1"}, "body"},
		{"status with reason", "Status: 404 Not Here\nContent-Type: text/plain\n\ngone", "404 Not Here", nil, "gone"},
		{"status alone", "Status: 201\n\n", "201 Created", nil, ""},
		{"status 200", "Status: 200\nContent-Type: text/plain\n\nok", "200 OK", nil, "ok"},
		{"empty header block", "\nbody", "200 Script output follows", nil, "body"},
		{"absolute location", "Location: http://example.com/x\n\n", "302 Found",
			map[string]string{"Location": "http://example.com/x"}, ""},
		{"location with status", "Status: 301 Moved\nLocation: https://example.com/\n\n", "301 Moved",
			map[string]string{"Location": "https://example.com/"}, ""},
		{"relative location", "Location: other.html\n\n", "302 Found", map[string]string{"Location": "other.html"}, ""},
		{"network-path location", "Location: //evil.example/\n\n", "302 Found", map[string]string{"Location": "//evil.example/"}, ""},
		{"local location with body", "Location: /index.html\nContent-Type: text/html\n\n<a href=/index.html>here</a>", "302 Found",
			map[string]string{"Location": "/index.html"}, "<a href=/index.html>here</a>"},
		{"local location with status", "Status: 303 See Other\nLocation: /index.html\n\n", "303 See Other",
			map[string]string{"Location": "/index.html"}, ""},
		{"content length", "Content-Length: 4\n\nbody and more", "200 Script output follows",
			map[string]string{"Content-Length": "4"}, "body"},
		{"framing fields dropped", "Transfer-Encoding: chunked\nConnection: keep-alive\nKeep-Alive: 5\n\nbody", "200 Script output follows",
			map[string]string{"Transfer-Encoding": "", "Keep-Alive": ""}, "body"},
		{"server and date are the server's", "Server: evil\nDate: yesterday\n\nbody", "200 Script output follows",
			map[string]string{"Server": "httpserve-test"}, "body"},
		{"repeated fields", "Set-Cookie: a=1\nSet-Cookie: b=2\n\n", "200 Script output follows", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.get(t, "/cgi-bin/self.cgi?"+printQuery(tt.out))
			if resp.Status != tt.wantStatus || string(resp.body) != tt.wantBody {
				t.Errorf("got %q %q, want %q %q", resp.Status, resp.body, tt.wantStatus, tt.wantBody)
			}
			for k, v := range tt.wantHeader {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if n := len(resp.Header["Date"]); n != 1 {
				t.Errorf("%d Date fields", n)
			}
		})
	}
	resp := ts.get(t, "/cgi-bin/self.cgi?"+printQuery("Set-Cookie: a=1\nSet-Cookie: b=2\n\n"))
	if got := resp.Header["Set-Cookie"]; len(got) != 2 {
		t.Errorf("Set-Cookie %q", got)
	}
}

// TestBadScriptOutput: a script that dies before its header block is
// complete, or writes a malformed one, gets 502 and a log line.
func TestBadScriptOutput(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	tests := []struct{ name, out, log string }{
		{"no output", "", "ended before its header block"},
		{"no empty line", "Content-Type: text/plain\n", "ended before its header block"},
		{"no colon", "Content-Type text/plain\n\n", "malformed header block"},
		{"space in name", "Content Type: text/plain\n\n", "malformed header block"},
		{"continuation line", "X-A: 1\n continued\n\n", "malformed header block"},
		{"bad status", "Status: abc\n\n", "bad status"},
		{"1xx status", "Status: 100 Continue\n\n", "bad status"},
		{"status out of range", "Status: 600\n\n", "bad status"},
		{"two statuses", "Status: 200\nStatus: 404\n\n", "two Status"},
		{"bad content length", "Content-Length: -1\n\nx", "bad Content-Length"},
		{"control character", "X-A: a\x01b\n\n", "bad value"},
		{"huge line", "X-A: " + strings.Repeat("a", 40<<10) + "\n\n", "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.do(t, "GET /cgi-bin/self.cgi?"+printQuery(tt.out, "exit", "1")+" HTTP/1.1\r\nHost: x\r\n\r\n")
			if resp.StatusCode != 502 {
				t.Errorf("status %s, want 502", resp.Status)
			}
			ts.log.waitFor(t, tt.log)
		})
	}
	ts.log.waitFor(t, "/cgi-bin/self.cgi: CGI script exit code 1")
}

// TestInternalRedirect: "Location: /path" without a body is served as a
// GET of the path (RFC 3875 section 6.2.2).
func TestInternalRedirect(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	resp := ts.do(t, "POST /cgi-bin/self.cgi?"+printQuery("Location: /index.html\n\n")+" HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")
	if resp.StatusCode != 200 || string(resp.body) != "<p>index</p>\n" || resp.Header.Get("Location") != "" {
		t.Errorf("to a file: %s %q %q", resp.Status, resp.body, resp.Header)
	}
	resp = ts.do(t, "POST /cgi-bin/self.cgi?"+printQuery("Location: /cgi-bin/self.cgi/info?a=b\r\n\r\n")+
		" HTTP/1.0\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nX-Kept: yes\r\n\r\nabc")
	var d dump
	if err := json.Unmarshal(resp.body, &d); err != nil {
		t.Fatalf("to a script: %s %q", resp.Status, resp.body)
	}
	for k, v := range map[string]string{"REQUEST_METHOD": "GET", "QUERY_STRING": "a=b", "PATH_INFO": "/info", "HTTP_X_KEPT": "yes"} {
		if d.Env[k] != v {
			t.Errorf("after the redirect, %s = %q, want %q", k, d.Env[k], v)
		}
	}
	for _, k := range []string{"CONTENT_LENGTH", "CONTENT_TYPE"} {
		if v, ok := d.Env[k]; ok {
			t.Errorf("after the redirect, %s = %q", k, v)
		}
	}
	// A script that redirects to itself ends with 500, not a loop.
	resp = ts.get(t, "/cgi-bin/redirect-loop.sh")
	if resp.StatusCode != 500 {
		t.Errorf("redirect loop: %s", resp.Status)
	}
	ts.log.waitFor(t, "internal redirects")
}

// TestNPH: an nph-* script's output is the response, byte for byte.
func TestNPH(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	out := "HTTP/1.1 299 Very Custom\r\nX-Nph: yes\r\nContent-Type: text/plain\r\n\r\nraw body, never framed\n"
	c := dial(t, ts)
	io.WriteString(c, "GET /cgi-bin/nph-self.cgi?"+printQuery(out)+" HTTP/1.1\r\nHost: x\r\n\r\n")
	got, err := io.ReadAll(c) // the connection closes after an nph response
	if err != nil || string(got) != out {
		t.Errorf("got %q, %v\nwant %q", got, err, out)
	}
	ts.log.waitFor(t, "\"GET /cgi-bin/nph-self.cgi?")
	ts.log.waitFor(t, "\" 299 -")

	// HEAD: the head alone.
	resp := ts.do(t, "HEAD /cgi-bin/nph-self.cgi?"+printQuery(out)+" HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp.StatusCode != 299 || resp.Header.Get("X-Nph") != "yes" || len(resp.body) != 0 {
		t.Errorf("HEAD: %s %q %q", resp.Status, resp.Header, resp.body)
	}
	// No output at all is still a 502.
	if resp := ts.do(t, "GET /cgi-bin/nph-self.cgi?"+printQuery("")+" HTTP/1.1\r\nHost: x\r\n\r\n"); resp.StatusCode != 502 {
		t.Errorf("nph without output: %s", resp.Status)
	}
}

// TestHEAD: a HEAD request runs the script, which sees HEAD, and the
// response has no body.
func TestHEAD(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	c := dial(t, ts)
	br := bufio.NewReader(c)
	io.WriteString(c, "HEAD /cgi-bin/method.sh HTTP/1.1\r\nHost: x\r\n\r\nGET /cgi-bin/method.sh HTTP/1.1\r\nHost: x\r\n\r\n")
	head := readResponse(t, br, "HEAD")
	if head.StatusCode != 200 || head.Header.Get("X-Method") != "HEAD" || len(head.body) != 0 {
		t.Errorf("HEAD: %s %q %q", head.Status, head.Header, head.body)
	}
	// The next response starts where it should: nothing of HEAD's body
	// was sent.
	if get := readResponse(t, br, "GET"); get.Header.Get("X-Method") != "GET" || string(get.body) != "body\n" {
		t.Errorf("GET after HEAD: %s %q %q", get.Status, get.Header, get.body)
	}
}

// TestFraming: the body is framed by the script's Content-Length, else
// chunked for HTTP/1.1 keep-alive, else by closing the connection.
func TestFraming(t *testing.T) {
	ts11 := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	ts10 := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")

	// HTTP/1.0 client: close-delimited.
	raw := rawExchange(t, ts11, "GET /cgi-bin/hello.sh HTTP/1.0\r\n\r\n")
	if strings.Contains(raw, "Transfer-Encoding") || strings.Contains(raw, "Content-Length") ||
		!strings.HasSuffix(raw, "\r\n\r\nhello from sh\n") {
		t.Errorf("HTTP/1.0:\n%s", raw)
	}
	// HTTP/1.1 client of an HTTP/1.0 server: close-delimited too.
	raw = rawExchange(t, ts10, "GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n\r\n")
	if strings.Contains(raw, "Transfer-Encoding") || !strings.HasSuffix(raw, "\r\n\r\nhello from sh\n") {
		t.Errorf("HTTP/1.1 to an HTTP/1.0 server:\n%s", raw)
	}

	// HTTP/1.1 keep-alive: chunked, and the connection carries on.
	c := dial(t, ts11)
	br := bufio.NewReader(c)
	for i := range 3 {
		io.WriteString(c, "GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n\r\n")
		resp := readResponse(t, br, "GET")
		if resp.StatusCode != 200 || string(resp.body) != "hello from sh\n" ||
			len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" || resp.Close {
			t.Errorf("request %d: %s %q %v close=%v", i, resp.Status, resp.body, resp.TransferEncoding, resp.Close)
		}
	}
	// The script's Content-Length frames the body on a kept connection.
	io.WriteString(c, "GET /cgi-bin/self.cgi?"+printQuery("Content-Length: 4\n\nbody")+" HTTP/1.1\r\nHost: x\r\n\r\n")
	resp := readResponse(t, br, "GET")
	if resp.ContentLength != 4 || len(resp.TransferEncoding) != 0 || string(resp.body) != "body" || resp.Close {
		t.Errorf("with Content-Length: %d %v %q close=%v", resp.ContentLength, resp.TransferEncoding, resp.body, resp.Close)
	}
	io.WriteString(c, "GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if resp := readResponse(t, br, "GET"); string(resp.body) != "hello from sh\n" {
		t.Errorf("last request: %s %q", resp.Status, resp.body)
	}
}

// rawExchange sends raw on a new connection and returns everything the
// server sends until it closes the connection.
func rawExchange(t *testing.T, ts *testServer, raw string) string {
	t.Helper()
	c := dial(t, ts)
	io.WriteString(c, raw)
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStreaming: output reaches the client as the script writes it.
func TestStreaming(t *testing.T) {
	dir := scratch(t)
	gate := filepath.Join(dir, "gate")
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")
	for _, proto := range []string{"HTTP/1.0", "HTTP/1.1"} {
		os.Remove(gate)
		c := dial(t, ts)
		io.WriteString(c, "GET /cgi-bin/self.cgi?"+url.Values{"do": {"hang"}, "gate": {gate}}.Encode()+" "+proto+"\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(c)
		resp, err := httpReadResponse(br, "GET")
		if err != nil {
			t.Fatal(err)
		}
		// The script is waiting for the gate, which opens only once its
		// first line has arrived.
		first, err := bufio.NewReader(resp.Body).ReadString('\n')
		if err != nil || first != "first\n" {
			t.Fatalf("%s: first line %q, %v", proto, first, err)
		}
		os.WriteFile(gate, nil, 0o644)
		rest, err := io.ReadAll(resp.Body)
		if err != nil || !strings.HasSuffix(string(rest), "second\n") {
			t.Errorf("%s: rest %q, %v", proto, rest, err)
		}
		c.Close()
	}
}

// TestStderr: stderr goes to the log line by line, with the script's
// name; so does a failing exit status.
func TestStderr(t *testing.T) {
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.0")
	resp := ts.get(t, "/cgi-bin/self.cgi?"+printQuery("Content-Type: text/plain\n\nok", "err", "line one\nline two\r\nno newline", "exit", "3"))
	if resp.StatusCode != 200 || string(resp.body) != "ok" {
		t.Errorf("%s %q", resp.Status, resp.body)
	}
	for _, s := range []string{
		"] /cgi-bin/self.cgi: line one\n",
		"] /cgi-bin/self.cgi: line two\n",
		"] /cgi-bin/self.cgi: no newline\n",
		"] /cgi-bin/self.cgi: CGI script exit code 3\n",
	} {
		ts.log.waitFor(t, s)
	}
}

func dial(t testing.TB, ts *testServer) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", ts.addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(60 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}
