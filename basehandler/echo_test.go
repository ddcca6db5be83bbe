package basehandler_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
	errpage "github.com/httpserve/httpserve/errors"
)

// testHandler is the handler of the wire tests: Python's do_GET, do_HEAD,
// do_POST, do_PUT and do_OPTIONS, dispatched with a switch whose default
// is Python's 501. The path picks a behaviour; any other path echoes the
// request (see echo).
func testHandler(w *basehandler.Response, r *basehandler.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodOptions:
	default:
		w.SendError(http.StatusNotImplemented, "Unsupported method ('"+r.Method+"')")
		return
	}
	path, query, _ := strings.Cut(r.Path, "?")
	switch path {
	case "/stream": // a body without Content-Length, in two writes
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Type", "text/plain")
		if query != "" { // /stream?keep-alive
			w.SendHeader("Connection", query)
		}
		w.EndHeaders()
		w.WriteString("hello, ")
		w.Flush()
		w.WriteString("world\n")
	case "/status": // /status?204: that status, with a body written anyway
		code, _ := strconv.Atoi(query)
		w.SendResponse(code)
		w.SendHeader("Content-Type", "text/plain")
		w.EndHeaders()
		w.WriteString("a body that must not be sent\n")
	case "/overflow": // writes 10 bytes after Content-Length: 5
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Length", "5")
		w.EndHeaders()
		if n, err := w.WriteString("0123456789"); n != 5 || err != basehandler.ErrBodyLength {
			w.LogError("overflow: Write = %d, %v; want 5, ErrBodyLength", n, err)
		}
	case "/short": // writes 5 bytes of a Content-Length of 10
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Length", "10")
		w.EndHeaders()
		w.WriteString("01234")
	case "/error": // /error?404 or /error?404&message
		codeStr, message, _ := strings.Cut(query, "&")
		code, _ := strconv.Atoi(codeStr)
		w.SendError(code, message)
	case "/ignore": // answers without reading the body
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Length", "3")
		w.EndHeaders()
		w.WriteString("ok\n")
	case "/keep-alive": // Python's do_KEEP
		w.SendResponse(http.StatusNoContent)
		w.SendHeader("Connection", "keep-alive")
		w.EndHeaders()
	case "/late-header": // a field sent after EndHeaders must go nowhere
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Length", "5")
		w.EndHeaders()
		w.SendHeader("X-Late", "injected")
		w.SendHeader("Content-Length", "99")
		w.WriteString("hello")
	case "/bad-length": // a Content-Length the client cannot trust either
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Length", "five")
		w.EndHeaders()
		w.WriteString("hello")
	case "/late-error": // an error after the body has begun
		w.SendResponse(http.StatusOK)
		w.SendHeader("Content-Length", "10000")
		w.EndHeaders()
		w.WriteString("xxxxx")
		w.Flush()
		// Nearly fill the 4 KiB buffer, so what comes next overflows it.
		w.WriteString(strings.Repeat("x", 4090))
		w.SendError(http.StatusInternalServerError, "")
	case "/panic":
		panic("test handler panics")
	default:
		echo(w, r)
	}
}

// echo answers with what the parser made of the request, one item a line:
//
//	POST /x?y HTTP/1.1
//	path=/x?y
//	host=example.com
//	Content-Length: 5
//	body="hello"
//
// A body that cannot be read because its framing is broken gets the
// ProtocolError's status.
func echo(w *basehandler.Response, r *basehandler.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var pe *basehandler.ProtocolError
		if errors.As(err, &pe) {
			w.SendError(pe.Status, pe.Message)
		}
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\npath=%s\nhost=%s\n", r.Method, r.Target, r.Proto, r.Path, r.Host)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range r.Header {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range r.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	fmt.Fprintf(&b, "body=%q\n", body)
	w.SendResponse(http.StatusOK)
	w.SendHeader("Content-Type", "text/plain")
	w.SendHeader("Content-Length", strconv.Itoa(b.Len()))
	w.EndHeaders()
	w.WriteString(b.String())
}

func newTestServer(t testing.TB, protocol string) *basehandlertest.Server {
	t.Helper()
	return basehandlertest.NewServer(t, &basehandler.Server{
		Handler:  basehandler.HandlerFunc(testHandler),
		Protocol: protocol,
		Version:  "test/1.0",
	})
}

// wireTest is one exchange: a raw request, the response it must get, and
// whether the connection must then be closed. When it must stay open, a
// second request on it must be answered.
type wireTest struct {
	name     string
	protocol string // the server's Protocol; "" means HTTP/1.1
	request  string
	method   string // of the request, when the parser would not know it

	status int    // 0: an HTTP/0.9 response, the body alone
	reason string // "" means the standard phrase
	// explain is the error page's explanation; "" means the standard one.
	explain string
	// echo lists lines the echoed body must hold, in order.
	echo []string
	// body is the whole body, when not an echo and not an error page.
	body   string
	noBody bool     // the response must have no body, error or not
	fields []string // field lines the response must hold
	absent []string // field names the response must not hold
	close  bool
}

func runWireTests(t *testing.T, tests []wireTest) {
	t.Helper()
	servers := map[string]*basehandlertest.Server{
		"HTTP/1.0": newTestServer(t, "HTTP/1.0"),
		"HTTP/1.1": newTestServer(t, "HTTP/1.1"),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			protocol := tt.protocol
			if protocol == "" {
				protocol = "HTTP/1.1"
			}
			s := servers[protocol]
			c := s.Dial(t)
			c.Write(t, tt.request)
			method := tt.method
			if method == "" {
				method, _, _ = strings.Cut(tt.request, " ")
			}
			resp := c.ReadResponse(t, method)
			checkResponse(t, resp, tt)
			if tt.close || tt.status == 0 {
				if !c.Closed() {
					t.Errorf("connection open after the response, want it closed")
				}
				return
			}
			c.Write(t, "GET /again HTTP/1.1\r\nHost: a\r\n\r\n")
			again := c.ReadResponse(t, http.MethodGet)
			if again.Status != http.StatusOK || !strings.HasPrefix(again.Body, "GET /again HTTP/1.1\n") {
				t.Errorf("second request on the connection: got %v, want the echo of GET /again", again)
			}
		})
	}
}

func checkResponse(t *testing.T, resp *basehandlertest.Response, tt wireTest) {
	t.Helper()
	if tt.status == 0 {
		if resp.Proto != "" {
			t.Errorf("got status line %s %d %s, want an HTTP/0.9 response (body only)", resp.Proto, resp.Status, resp.Reason)
		}
	} else {
		reason := tt.reason
		if reason == "" {
			reason = errpage.Phrase(tt.status)
		}
		if resp.Status != tt.status || resp.Reason != reason {
			t.Errorf("got status %d %q, want %d %q\nresponse: %v", resp.Status, resp.Reason, tt.status, reason, resp)
		}
	}
	for _, f := range tt.fields {
		if !slices.Contains(resp.Fields, f) {
			t.Errorf("response lacks field %q; got %q", f, resp.Fields)
		}
	}
	for _, name := range tt.absent {
		if v, ok := resp.Header[http.CanonicalHeaderKey(name)]; ok {
			t.Errorf("response has %s: %q, want none", name, v)
		}
	}
	switch {
	case tt.noBody:
		if resp.Body != "" {
			t.Errorf("got body %q, want none", resp.Body)
		}
	case tt.echo != nil:
		rest := resp.Body
		for _, line := range tt.echo {
			i := strings.Index(rest, line+"\n")
			if i < 0 || (i > 0 && rest[i-1] != '\n') {
				t.Errorf("echo lacks line %q (in order)\ngot:\n%s", line, resp.Body)
				break
			}
			rest = rest[i+len(line):]
		}
	case tt.status >= 400 && tt.body == "":
		explain := tt.explain
		if explain == "" {
			explain = errpage.Explain(tt.status)
		}
		reason := tt.reason
		if reason == "" {
			reason = errpage.Phrase(tt.status)
		}
		want := string(errpage.AppendPage(nil, tt.status, reason, explain))
		if resp.Body != want {
			t.Errorf("error page:\ngot:  %q\nwant: %q", resp.Body, want)
		}
		if !slices.Contains(resp.Fields, "Connection: close") {
			t.Errorf("error response lacks Connection: close; got %q", resp.Fields)
		}
	default:
		if resp.Body != tt.body {
			t.Errorf("body: got %q, want %q", resp.Body, tt.body)
		}
	}
}
