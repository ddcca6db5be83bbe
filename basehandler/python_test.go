package basehandler_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

// This file runs the engine against CPython's BaseHTTPRequestHandler on
// the same raw requests and compares the answers: status code, reason
// phrase, body (the error page, or what the handler saw) and log lines.
// It needs python3 on PATH and fails, rather than skips, without it: a
// silent skip would let the engine drift from Python unnoticed.

// pythonServers is a Python 3.11 script serving BaseHTTPRequestHandler
// subclasses on two free ports, protocol_version HTTP/1.0 and HTTP/1.1.
// do_GET and do_HEAD answer 200 with "command path request_version" as
// the body; every other method gets Python's 501.
const pythonServers = `
import sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
if sys.version_info[:2] != (3, 11):
    sys.exit("python3 is %s; this test needs Python 3.11" % sys.version.split()[0])

class Handler(BaseHTTPRequestHandler):
    def send_head(self):
        body = ("%s %s %s\n" % (self.command, self.path, self.request_version)).encode("latin-1")
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return body
    def do_GET(self):
        self.wfile.write(self.send_head())
    def do_HEAD(self):
        self.send_head()

class Handler10(Handler):
    protocol_version = "HTTP/1.0"

class Handler11(Handler):
    protocol_version = "HTTP/1.1"

servers = [ThreadingHTTPServer(("127.0.0.1", 0), h) for h in (Handler10, Handler11)]
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()
print(servers[0].server_address[1], servers[1].server_address[1], flush=True)
sys.stdin.read()  # serve until the test closes stdin
`

// pythonHandler is the Go twin of pythonServers' Handler.
func pythonHandler(w *basehandler.Response, r *basehandler.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		body := r.Method + " " + r.Path + " " + r.Proto + "\n"
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Length", strconv.Itoa(len(body)))
		w.EndHeaders()
		w.WriteString(body)
	default:
		w.SendError(http.StatusNotImplemented, "Unsupported method ("+pyQuote(r.Method)+")")
	}
}

// pyQuote is Python's repr of a method token, which may hold "'".
func pyQuote(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}

// pair is the Python servers and ours, by protocol_version.
type pair struct {
	pyAddr, goAddr map[string]string
	pyLog          *basehandlertest.SyncBuffer
	goLog          map[string]*basehandlertest.SyncBuffer
}

func startPair(t *testing.T) *pair {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to compare with Python's http.server: %v", err)
	}
	cmd := exec.Command(py, "-I", "-u", "-c", pythonServers)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &pair{pyLog: new(basehandlertest.SyncBuffer), goLog: map[string]*basehandlertest.SyncBuffer{}}
	cmd.Stderr = p.pyLog
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(basehandlertest.Timeout):
			cmd.Process.Kill()
			<-done
		}
	})
	ports := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ports <- line
	}()
	var line string
	select {
	case line = <-ports:
	case <-time.After(basehandlertest.Timeout):
		t.Fatalf("python3 did not start; stderr:\n%s", p.pyLog)
	}
	var p10, p11 int
	if _, err := fmt.Sscan(line, &p10, &p11); err != nil {
		t.Fatalf("python3 printed %q, want two ports; stderr:\n%s", line, p.pyLog)
	}
	p.pyAddr = map[string]string{
		"HTTP/1.0": fmt.Sprintf("127.0.0.1:%d", p10),
		"HTTP/1.1": fmt.Sprintf("127.0.0.1:%d", p11),
	}
	p.goAddr = map[string]string{}
	for _, proto := range []string{"HTTP/1.0", "HTTP/1.1"} {
		s := basehandlertest.NewServer(t, &basehandler.Server{
			Handler: basehandler.HandlerFunc(pythonHandler), Protocol: proto,
		})
		p.goAddr[proto], p.goLog[proto] = s.Addr, s.Log
	}
	return p
}

// outcome is what a server did with one request.
type outcome struct {
	interim    int  // the status of a 1xx response before the final one
	statusLine bool // false: no status line (HTTP/0.9 or Python's bare page)
	status     int
	reason     string
	body       string
	log        []string // the log lines, without address and date
}

func (o outcome) String() string {
	if !o.statusLine {
		return fmt.Sprintf("no status line, body %q, log %q", o.body, o.log)
	}
	if o.interim != 0 {
		return fmt.Sprintf("%d, then %d %q, body %q, log %q", o.interim, o.status, o.reason, o.body, o.log)
	}
	return fmt.Sprintf("%d %q, body %q, log %q", o.status, o.reason, o.body, o.log)
}

const marker = "GET /--marker-- HTTP/1.0\r\n\r\n"

var logPrefix = regexp.MustCompile(`^127\.0\.0\.1 - - \[[^]]*\] `)

// exchange sends request on a new connection, half-closes it, and reads the
// first response. Then it sends a marker request, so that the log lines up
// to the marker's are this request's.
func exchange(t *testing.T, addr string, log *basehandlertest.SyncBuffer, request, method string) outcome {
	t.Helper()
	before := strings.Count(log.String(), "/--marker--")
	c := basehandlertest.Dial(t, addr)
	c.Write(t, request)
	c.CloseWrite()
	var o outcome
	if _, err := c.R.Peek(1); err == nil {
		resp := c.ReadResponse(t, method)
		if resp.Proto != "" && resp.Status < 200 {
			o.interim = resp.Status
			resp = c.ReadResponse(t, method)
		}
		o.statusLine, o.status, o.reason, o.body = resp.Proto != "", resp.Status, resp.Reason, resp.Body
	}
	// Wait for the close, so that whatever else the server makes of the
	// request is logged before the marker.
	c.ReadAll(t)
	c.Close()
	m := basehandlertest.Dial(t, addr)
	m.Write(t, marker)
	m.ReadAll(t)
	deadline := time.Now().Add(basehandlertest.Timeout)
	for strings.Count(log.String(), "/--marker--") == before {
		if time.Now().After(deadline) {
			t.Fatalf("the marker request was never logged; log:\n%s", log)
		}
		time.Sleep(time.Millisecond)
	}
	lines := strings.Split(log.String(), "\n")
	seen := 0
	for i, line := range lines {
		if strings.Contains(line, "/--marker--") {
			seen++
			continue
		}
		if seen == before && i < len(lines) {
			if line = logPrefix.ReplaceAllString(line, ""); line != "" {
				o.log = append(o.log, line)
			}
		}
	}
	return o
}

type pythonTest struct {
	name     string
	protocol string // "" means HTTP/1.1
	request  string
	// method is the request's method as the servers understand it, when
	// not the first word: a refused request line has none, so even "HEAD"
	// gets a body.
	method string
}

func (tt pythonTest) run(t *testing.T, p *pair) (py, ours outcome) {
	t.Helper()
	proto := tt.protocol
	if proto == "" {
		proto = "HTTP/1.1"
	}
	method := tt.method
	if method == "" {
		method, _, _ = strings.Cut(strings.TrimLeft(tt.request, "\r\n"), " ")
	}
	py = exchange(t, p.pyAddr[proto], p.pyLog, tt.request, method)
	ours = exchange(t, p.goAddr[proto], p.goLog[proto], tt.request, method)
	return py, ours
}

func TestMatchesPython(t *testing.T) {
	p := startPair(t)
	long := func(lineLen int) string { return "/" + strings.Repeat("a", lineLen-len("GET / HTTP/1.1\r\n")) }
	fields := func(n int) string { return strings.Repeat("X-Foo: bar\r\n", n) }
	tests := []pythonTest{
		{name: "HTTP/1.0", protocol: "HTTP/1.0", request: "GET / HTTP/1.0\r\n\r\n"},
		{name: "HTTP/1.1 to Protocol HTTP/1.0", protocol: "HTTP/1.0", request: "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "HTTP/1.1", request: "GET /a?b=c HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "HEAD", request: "HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "HTTP/0.9", protocol: "HTTP/1.0", request: "GET /nine\r\n"},
		{name: "HTTP/0.9 three words", request: "GET /nine HTTP/0.9\r\n\r\n"},
		{name: "four words", request: "GET / x HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "five words", request: "GET / x y HTTP/1.0\r\n\r\n"},
		{name: "tabs and spaces", request: "GET\t/t \t HTTP/1.1 \r\nHost: a\r\n\r\n"},
		{name: "lowercase method", request: "get / HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "unknown method", request: "XYZBOGUS / HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "method with a quote", request: "GE'T / HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "POST with a body", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"},
		{name: "OPTIONS *", request: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "leading slashes", request: "GET //evil.example//x HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "version HTTP/01.01", request: "GET / HTTP/01.01\r\nHost: a\r\n\r\n"},
		{name: "version HTTP/1.2", request: "GET / HTTP/1.2\r\nHost: a\r\n\r\n"},
		{name: "version HTTP/1.0000000001", request: "GET / HTTP/1.0000000001\r\nHost: a\r\n\r\n"},
		{name: "Connection: close", request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"},
		{name: "HTTP/1.0 keep-alive", request: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"},
		{name: "request line of 65536 bytes", request: "GET " + long(65536) + " HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "request line of 65537 bytes", request: "GET " + long(65537) + " HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "field line of 65537 bytes", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Foo: " + strings.Repeat("r", 65537) + "\r\n\r\n"},
		{name: "99 field lines", request: "GET / HTTP/1.1\r\nHost: a\r\n" + fields(98) + "\r\n"},
		{name: "100 field lines", request: "GET / HTTP/1.1\r\nHost: a\r\n" + fields(99) + "\r\n"},
		{name: "101 field lines", request: "GET / HTTP/1.1\r\n" + fields(101) + "\r\n"},
		{name: "bare LF", request: "GET /lf HTTP/1.1\nHost: a\n\n"},
		{name: "CR CR LF after the request line", request: "GET /cr HTTP/1.1\r\r\nHost: a\r\n\r\n"},
		{name: "CR CR LF after a bad request line", request: "GET /cr x HTTP/1.1\r\r\nHost: a\r\n\r\n"},
		{name: "obs-fold", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Fold: a\r\n b\r\n\r\n"},
		{name: "Latin-1 field", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Special: \xc4rger\r\n\r\n"},
		{name: "Latin-1 target", request: "GET /caf\xe9\xa1\xff HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "backslash in target", request: "GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "C1 controls in target", request: "GET /a\x80\x9f HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "escaped HTML in target", request: "GET /<b>&amp; HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "Latin-1 and controls in a syntax error", request: "GET / \xe9\x01\x7f' HTTP/1.1\r\nHost: a\r\n\r\n"},
		{name: "quotes in a syntax error", request: "GET / '\" HTTP/1.1\r\nHost: a\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			py, ours := tt.run(t, p)
			if fmt.Sprint(py) != fmt.Sprint(ours) {
				t.Errorf("\npython: %v\nours:   %v", py, ours)
			}
		})
	}
}

// deliberateDifferences are the requests on which the engine differs from
// Python on purpose, each an item of the package doc's "Python
// compatibility" list. Both sides are asserted: ours, and Python's as the
// reason for the entry.
var deliberateDifferences = []struct {
	pythonTest
	why    string
	python outcome // the parts of Python's answer checked: statusLine, status, reason
	ours   outcome // the same parts of ours
}{
	{pythonTest{name: "one word", request: "GET\r\n"},
		"a malformed request gets a status line",
		outcome{statusLine: false, status: 0, reason: ""},
		outcome{statusLine: true, status: 400, reason: "Bad request syntax ('GET')"}},
	{pythonTest{name: "two words POST", request: "POST /\r\n"},
		"a malformed request gets a status line",
		outcome{},
		outcome{statusLine: true, status: 400, reason: "Bad HTTP/0.9 request type ('POST')"}},
	{pythonTest{name: "version HTTP/1", request: "GET / HTTP/1\r\n\r\n"},
		"a malformed request gets a status line",
		outcome{},
		outcome{statusLine: true, status: 400, reason: "Bad request version ('HTTP/1')"}},
	{pythonTest{name: "version FOO", request: "GET / FOO\r\n\r\n"},
		"a malformed request gets a status line",
		outcome{},
		outcome{statusLine: true, status: 400, reason: "Bad request version ('FOO')"}},
	{pythonTest{name: "HTML in version", request: "GET / <b>\r\n\r\n"},
		"a malformed request gets a status line",
		outcome{},
		outcome{statusLine: true, status: 400, reason: "Bad request version ('<b>')"}},
	{pythonTest{name: "Latin-1 and controls in version", request: "GET / HTTP/1.\xe9\x01\x9f\r\n\r\n"},
		"a malformed request gets a status line",
		outcome{},
		outcome{statusLine: true, status: 400, reason: "Bad request version ('HTTP/1.\xe9\\x01\\x9f')"}},
	{pythonTest{name: "version HTTP/2.0", request: "GET / HTTP/2.0\r\n\r\n"},
		"a malformed request gets a status line",
		outcome{},
		outcome{statusLine: true, status: 505, reason: "Invalid HTTP version (2.0)"}},
	{pythonTest{name: "HTTP/0.9 HEAD", request: "HEAD /\r\n", method: "none"},
		"a malformed request gets a status line",
		outcome{},
		outcome{statusLine: true, status: 400, reason: "Bad HTTP/0.9 request type ('HEAD')"}},
	{pythonTest{name: "no Host", request: "GET / HTTP/1.1\r\n\r\n"},
		"an HTTP/1.1 request without exactly one Host is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Missing Host header"}},
	{pythonTest{name: "two Hosts", request: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
		"an HTTP/1.1 request without exactly one Host is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Too many Host headers"}},
	{pythonTest{name: "whitespace before colon", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n"},
		"whitespace before a field name's colon is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Bad header line ('X-A : b')"}},
	{pythonTest{name: "invalid field name", request: "GET / HTTP/1.1\r\nHost: a\r\nX@Y: b\r\n\r\n"},
		"an invalid field name is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Bad header line ('X@Y: b')"}},
	{pythonTest{name: "NUL in field value", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x00b\r\n\r\n"},
		"an invalid field value is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Bad header value ('X-A')"}},
	{pythonTest{name: "obs-fold first", request: "GET / HTTP/1.1\r\n x\r\nHost: a\r\n\r\n"},
		"an invalid field line is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Bad header continuation line"}},
	{pythonTest{name: "Content-Length and Transfer-Encoding", request: "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
		"ambiguous body framing is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Both Content-Length and Transfer-Encoding"}},
	{pythonTest{name: "differing Content-Lengths", request: "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
		"ambiguous body framing is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Bad Content-Length"}},
	{pythonTest{name: "Transfer-Encoding in HTTP/1.0", request: "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
		"ambiguous body framing is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Transfer-Encoding in an HTTP/1.0 request"}},
	{pythonTest{name: "unknown Transfer-Encoding", request: "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"},
		"ambiguous body framing: RFC 9112 section 6.1's 501",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 501, reason: "Unsupported Transfer-Encoding"}},
	{pythonTest{name: "method not a token", request: "G(T / HTTP/1.1\r\nHost: a\r\n\r\n"},
		"a method that is not a token is a 400",
		outcome{statusLine: true, status: 501, reason: "Unsupported method ('G(T')"},
		outcome{statusLine: true, status: 400, reason: "Bad request method ('G(T')"}},
	// Python's str.split() also splits on \x1c-\x1f, \x85 and \xa0, so
	// Python reads "GET\xa0/ HTTP/1.1" as three words; RFC 9112 section 3
	// allows only SP, HTAB, VT, FF and CR, so for us it is two, and a
	// two-word request must be GET.
	{pythonTest{name: "no-break space as separator", request: "GET\xa0/ HTTP/1.1\r\nHost: a\r\n\r\n"},
		"a malformed request gets a status line; RFC 9112 whitespace only",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: `Bad HTTP/0.9 request type ('GET\xa0/')`}},
	{pythonTest{name: "NEL as separator", request: "GET /a\x85b HTTP/1.1\r\nHost: a\r\n\r\n"},
		"a malformed request gets a status line; RFC 9112 whitespace only",
		outcome{statusLine: true, status: 400, reason: `Bad request syntax ('GET /a\x85b HTTP/1.1')`},
		outcome{statusLine: true, status: 200, reason: "OK"}},
	{pythonTest{name: "method with HTML", protocol: "HTTP/1.0", request: "<b>X</b> / HTTP/1.0\r\n\r\n"},
		"a method that is not a token is a 400",
		outcome{statusLine: true, status: 501, reason: "Unsupported method ('<b>X</b>')"},
		outcome{statusLine: true, status: 400, reason: "Bad request method ('<b>X</b>')"}},
	{pythonTest{name: "GET with a body", request: "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nGET"},
		"request bodies are framed: Python reads the body as the next request line",
		outcome{statusLine: true, status: 200, reason: "OK", log: []string{`"GET / HTTP/1.1" 200 -`, "code 400, message Bad request syntax ('GET')", `"GET" 400 -`}},
		outcome{statusLine: true, status: 200, reason: "OK", log: []string{`"GET / HTTP/1.1" 200 -`}}},
	{pythonTest{name: "relative target", request: "GET foo HTTP/1.1\r\nHost: a\r\n\r\n"},
		"a target in none of the four forms is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: "Bad request target ('foo')"}},
	{pythonTest{name: "control character in target", request: "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n"},
		"a target with control characters is a 400",
		outcome{statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 400, reason: `Bad request target ('/a\x01')`}},
	{pythonTest{name: "absolute-form", request: "GET http://example.com/a HTTP/1.1\r\nHost: a\r\n\r\n"},
		"Path is the absolute-form target's path (Request.Path)",
		outcome{statusLine: true, status: 200, reason: "OK", body: "GET http://example.com/a HTTP/1.1\n"},
		outcome{statusLine: true, status: 200, reason: "OK", body: "GET /a HTTP/1.1\n"}},
	{pythonTest{name: "Expect without a body", request: "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n"},
		"100 Continue is sent when the handler reads the body (here: never)",
		outcome{interim: 100, statusLine: true, status: 200, reason: "OK"},
		outcome{statusLine: true, status: 200, reason: "OK"}},
	{pythonTest{name: "Expect, body not read", request: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc"},
		"100 Continue is sent when the handler reads the body (here: never)",
		outcome{interim: 100, statusLine: true, status: 501, reason: "Unsupported method ('POST')"},
		outcome{statusLine: true, status: 501, reason: "Unsupported method ('POST')"}},
	{pythonTest{name: "empty line first", request: "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"},
		"up to four empty lines before a request line are skipped",
		outcome{},
		outcome{statusLine: true, status: 200, reason: "OK"}},
}

func TestDeliberateDifferences(t *testing.T) {
	p := startPair(t)
	// brief shows the parts of o that the table gives: the body and the
	// log only when want has them.
	brief := func(o, want outcome) string {
		if want.body == "" {
			o.body = ""
		}
		if want.log == nil {
			o.log = nil
		}
		return fmt.Sprintf("%d %v %d %q %q %q", o.interim, o.statusLine, o.status, o.reason, o.body, o.log)
	}
	for _, tt := range deliberateDifferences {
		t.Run(tt.name, func(t *testing.T) {
			py, ours := tt.run(t, p)
			if got, want := brief(ours, tt.ours), brief(tt.ours, tt.ours); got != want {
				t.Errorf("ours (%s):\ngot:  %v\nwant: %v", tt.why, ours, want)
			}
			// Where Python sends a bare error page, we send the same page and
			// log the same lines, with a status line.
			bare := !tt.python.statusLine && tt.ours.status >= 400
			if bare && (py.body != ours.body || fmt.Sprint(py.log) != fmt.Sprint(ours.log)) {
				t.Errorf("page or log differs from Python's:\npython: %v\nours:   %v", py, ours)
			}
			if got, want := brief(py, tt.python), brief(tt.python, tt.python); got != want {
				t.Errorf("python (the reason for this entry is gone?):\ngot:  %v\nwant: %v", py, want)
			}
		})
	}
}
