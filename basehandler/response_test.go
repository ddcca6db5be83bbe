package basehandler_test

import (
	"strings"
	"testing"
)

// TestResponseFraming covers how Response frames what a handler writes
// (RFC 9112 section 6.3 from the sending side) and Python's send_error,
// with ports of BaseHTTPServerTestCase's send_error and HEAD cases.
func TestResponseFraming(t *testing.T) {
	get := func(target, proto string, fields ...string) string {
		return "GET " + target + " " + proto + "\r\n" + strings.Join(append(fields, ""), "\r\n") + "\r\n"
	}
	head := func(target string) string { return "HEAD " + target + " HTTP/1.1\r\nHost: a\r\n\r\n" }
	runWireTests(t, []wireTest{
		{name: "no Content-Length, HTTP/1.1: chunked", request: get("/stream", "HTTP/1.1", "Host: a"),
			status: 200, body: "hello, world\n", fields: []string{"Transfer-Encoding: chunked"}, absent: []string{"Connection"}},
		{name: "no Content-Length, HTTP/1.0 client: close-delimited", request: get("/stream", "HTTP/1.0"),
			status: 200, body: "hello, world\n", close: true, absent: []string{"Transfer-Encoding", "Connection"}},
		{name: "no Content-Length, HTTP/1.0 keep-alive client: close-delimited", request: get("/stream", "HTTP/1.0", "Connection: keep-alive"),
			status: 200, body: "hello, world\n", close: true, fields: []string{"Connection: close"}, absent: []string{"Transfer-Encoding"}},
		{name: "no Content-Length, Protocol HTTP/1.0: close-delimited", protocol: "HTTP/1.0", request: get("/stream", "HTTP/1.1", "Host: a"),
			status: 200, body: "hello, world\n", close: true, absent: []string{"Transfer-Encoding", "Connection"}},
		{name: "no Content-Length, Connection: close", request: get("/stream", "HTTP/1.1", "Host: a", "Connection: close"),
			status: 200, body: "hello, world\n", close: true, absent: []string{"Transfer-Encoding"}},
		// Python's do_KEEP sends Connection: keep-alive itself; under
		// Protocol HTTP/1.0 the status line says HTTP/1.0, so the body
		// can never be chunked.
		{name: "handler's keep-alive under Protocol HTTP/1.0", protocol: "HTTP/1.0", request: get("/keep-alive", "HTTP/1.1", "Host: a"),
			status: 204, fields: []string{"Connection: keep-alive"}},
		{name: "handler's keep-alive without Content-Length under Protocol HTTP/1.0", protocol: "HTTP/1.0",
			request: get("/stream?keep-alive", "HTTP/1.1", "Host: a"), status: 200, body: "hello, world\n", close: true,
			fields: []string{"Connection: keep-alive"}, absent: []string{"Transfer-Encoding"}},
		{name: "handler's keep-alive", request: get("/keep-alive", "HTTP/1.1", "Host: a"),
			status: 204, fields: []string{"Connection: keep-alive"}},

		{name: "HEAD gets no body", request: head("/"), status: 200, noBody: true, fields: []string{"Content-Length: 46"}},
		{name: "HEAD of a stream gets no body", request: head("/stream"), status: 200, noBody: true,
			absent: []string{"Transfer-Encoding", "Content-Length"}},
		{name: "204 gets no body", request: get("/status?204", "HTTP/1.1", "Host: a"), status: 204, noBody: true,
			absent: []string{"Transfer-Encoding", "Content-Length"}},
		{name: "304 gets no body", request: get("/status?304", "HTTP/1.1", "Host: a"), status: 304, noBody: true,
			absent: []string{"Transfer-Encoding", "Content-Length"}},
		// A field after EndHeaders would land in the body, outside its
		// framing: the client would take its bytes for body bytes and the
		// body's tail for the next response (response splitting).
		{name: "a field after EndHeaders is dropped", request: get("/late-header", "HTTP/1.1", "Host: a"),
			status: 200, body: "hello", fields: []string{"Content-Length: 5"}, absent: []string{"X-Late"}},
		{name: "more than Content-Length is cut", request: get("/overflow", "HTTP/1.1", "Host: a"),
			status: 200, body: "01234", fields: []string{"Content-Length: 5"}},

		// send_error (BaseHTTPServerTestCase.test_send_error and
		// test_head_via_send_error).
		{name: "send_error 404", request: get("/error?404", "HTTP/1.1", "Host: a"), status: 404, close: true,
			fields: []string{"Content-Type: text/html;charset=utf-8", "Connection: close"}},
		{name: "send_error with a message", request: get("/error?404&Nothing%20here", "HTTP/1.1", "Host: a"),
			status: 404, reason: "Nothing%20here", close: true},
		{name: "send_error of an unknown code", request: get("/error?999", "HTTP/1.1", "Host: a"),
			status: 999, reason: "???", explain: "???", close: true},
		{name: "send_error on HTTP/1.0", protocol: "HTTP/1.0", request: get("/error?403", "HTTP/1.0"), status: 403, close: true},
		{name: "send_error to HEAD", request: head("/error?404"), status: 404, noBody: true, close: true,
			fields: []string{"Content-Type: text/html;charset=utf-8", "Content-Length: 330"}},
		{name: "send_error 200 to HEAD", request: head("/error?200"), status: 200, noBody: true, close: true,
			fields: []string{"Content-Type: text/html;charset=utf-8"}},
		{name: "send_error 204", noBody: true, request: get("/error?204", "HTTP/1.1", "Host: a"), status: 204, close: true,
			absent: []string{"Content-Length", "Content-Type", "Transfer-Encoding"}},
		{name: "send_error 304", noBody: true, request: get("/error?304", "HTTP/1.1", "Host: a"), status: 304, close: true,
			absent: []string{"Content-Length", "Content-Type"}},
		{name: "send_error 205", noBody: true, request: get("/error?205", "HTTP/1.1", "Host: a"), status: 205, close: true,
			absent: []string{"Content-Length", "Content-Type"}},
		{name: "send_error 102", noBody: true, request: get("/error?102", "HTTP/1.1", "Host: a"), status: 102, close: true,
			absent: []string{"Content-Length", "Content-Type", "Transfer-Encoding"}},
		{name: "send_error 101", noBody: true, request: get("/error?101", "HTTP/1.1", "Host: a"), status: 101, close: true,
			absent: []string{"Content-Length", "Content-Type", "Transfer-Encoding"}},
	})
}

// TestShortBody checks that a body shorter than its Content-Length closes
// the connection: the client would otherwise wait for the missing bytes.
func TestShortBody(t *testing.T) {
	s := newTestServer(t, "HTTP/1.1")
	got := s.RoundTrip(t, "GET /short HTTP/1.1\r\nHost: a\r\n\r\n")
	if !strings.Contains(got, "Content-Length: 10\r\n") || !strings.HasSuffix(got, "\r\n\r\n01234") {
		t.Errorf("got %q, want Content-Length: 10, 5 body bytes and a close", got)
	}
}

// TestInvalidContentLength checks that a Content-Length the handler gets
// wrong is not framed over: the client cannot know where the body ends, so
// the connection closes after it, and no chunked coding is added.
func TestInvalidContentLength(t *testing.T) {
	s := newTestServer(t, "HTTP/1.1")
	got := s.RoundTrip(t, "GET /bad-length HTTP/1.1\r\nHost: a\r\n\r\n")
	if !strings.Contains(got, "Content-Length: five\r\n") || strings.Contains(got, "Transfer-Encoding") ||
		!strings.HasSuffix(got, "\r\n\r\nhello") {
		t.Errorf("got %q, want the handler's fields, no Transfer-Encoding, the body and a close", got)
	}
}

// TestLateError checks that an error sent after the body has begun adds
// nothing to the wire: the head is gone, so the response can only be cut
// short, and the connection closes.
func TestLateError(t *testing.T) {
	s := newTestServer(t, "HTTP/1.1")
	got := s.RoundTrip(t, "GET /late-error HTTP/1.1\r\nHost: a\r\n\r\n")
	_, body, _ := strings.Cut(got, "\r\n\r\n")
	if strings.Trim(body, "x") != "" || strings.Count(got, "HTTP/1.1 ") != 1 {
		t.Errorf("got %q, want one head and only body bytes after it", got)
	}
}
