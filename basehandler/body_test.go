package basehandler_test

import (
	"strconv"
	"strings"
	"testing"
)

// TestRequestBody covers body framing (RFC 9112 section 6): the body the
// handler reads, and the requests whose framing is refused.
func TestRequestBody(t *testing.T) {
	runWireTests(t, []wireTest{
		{name: "Content-Length", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", status: 200,
			echo: []string{"Content-Length: 5", `body="hello"`}},
		{name: "Content-Length on HTTP/1.0", protocol: "HTTP/1.0",
			request: "POST / HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello", status: 200, close: true, echo: []string{`body="hello"`}},
		{name: "Content-Length 0", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", status: 200,
			echo: []string{`body=""`}},
		{name: "Content-Length with leading zeros", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 005\r\n\r\nhello", status: 200,
			echo: []string{`body="hello"`}},
		{name: "identical Content-Lengths in a list", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", status: 200,
			echo: []string{`body="hello"`}},
		{name: "identical Content-Length fields", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", status: 200,
			echo: []string{`body="hello"`}},
		{name: "chunked", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n", status: 200, echo: []string{`body="hello, world"`}},
		{name: "chunked with extensions and trailers", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n" +
			"5;name=value\r\nhello\r\nA ; a=\"b;c\" ;d\r\n0123456789\r\n0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
			status: 200, echo: []string{`body="hello0123456789"`}},
		{name: "chunked with upper-case hex and leading zeros", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"000B\r\nhello world\r\n00\r\n\r\n", status: 200, echo: []string{`body="hello world"`}},
		{name: "chunked under Protocol HTTP/1.0", protocol: "HTTP/1.0",
			request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
			status:  200, close: true, echo: []string{`body="abc"`}},

		// Ambiguous or broken framing: 400 and a closed connection.
		{name: "Content-Length and Transfer-Encoding",
			request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
			status:  400, close: true, reason: "Both Content-Length and Transfer-Encoding"},
		{name: "differing Content-Lengths", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
			status: 400, close: true, reason: "Bad Content-Length"},
		{name: "differing Content-Lengths in a list", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!",
			status: 400, close: true, reason: "Bad Content-Length"},
		{name: "negative Content-Length", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
			status: 400, close: true, reason: "Bad Content-Length"},
		{name: "signed Content-Length", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello",
			status: 400, close: true, reason: "Bad Content-Length"},
		{name: "empty Content-Length", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n",
			status: 400, close: true, reason: "Bad Content-Length"},
		{name: "overflowing Content-Length", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
			status: 400, close: true, reason: "Bad Content-Length"},
		{name: "Transfer-Encoding in HTTP/1.0", request: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
			status: 400, close: true, reason: "Transfer-Encoding in an HTTP/1.0 request"},
		{name: "unknown Transfer-Encoding", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
			status: 501, close: true, reason: "Unsupported Transfer-Encoding"},
		{name: "gzip, chunked", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
			status: 501, close: true, reason: "Unsupported Transfer-Encoding"},
		{name: "chunked twice", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
			status: 501, close: true, reason: "Unsupported Transfer-Encoding"},
		{name: "bad chunk size", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
			status: 400, close: true, reason: "Bad chunk size"},
		{name: "chunk size too large", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
			status: 400, close: true, reason: "Chunk size too large"},
		{name: "bad chunk extension", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n",
			status: 400, close: true, reason: "Bad chunk extension"},
		// CVE-2025-22871: a bare LF in the chunked framing.
		{name: "bare LF after chunk size", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
			status: 400, close: true, reason: "Bad chunk line ending"},
		{name: "bare LF after chunk data", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n",
			status: 400, close: true, reason: "Missing CRLF after chunk data"},
		{name: "bare LF after last chunk", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\n\r\n",
			status: 400, close: true, reason: "Bad chunk line ending"},
		{name: "bare CR in chunk line", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n",
			status: 400, close: true, reason: "Bad chunk line"},
		// CVE-2023-39326: long extensions on tiny chunks make the server
		// read far more than the body, even when it discards the body.
		{name: "too much chunk overhead", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
			strings.Repeat("1;"+strings.Repeat("e", 1000)+"\r\nx\r\n", 20) + "0\r\n\r\n",
			status: 400, close: true, reason: "Too much chunk overhead"},
		{name: "bad trailer line", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n",
			status: 400, close: true, reason: "Bad trailer line"},
	})
}

// TestUnreadBody checks that a body the handler leaves unread is discarded
// and never parsed as a request: each body here is itself a request, which
// a server that lost track of the framing would answer (request
// smuggling).
func TestUnreadBody(t *testing.T) {
	smuggled := "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
	chunk := func(s string) string {
		return strconv.FormatInt(int64(len(s)), 16) + "\r\n" + s + "\r\n"
	}
	cl := strconv.Itoa(len(smuggled))
	tests := []struct {
		name    string
		request string
		close   bool // the connection closes after the first response
	}{
		{"Content-Length", "POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: " + cl + "\r\n\r\n" + smuggled, false},
		{"chunked", "POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
			chunk(smuggled[:10]) + chunk(smuggled[10:]) + "0\r\n\r\n", false},
		{"GET with a body", "GET /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: " + cl + "\r\n\r\n" + smuggled, false},
		{"too long to discard", "POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 300000\r\n\r\n" +
			strings.Repeat(smuggled, 300000/len(smuggled)) + strings.Repeat("x", 300000%len(smuggled)), true},
		{"truncated chunked", "POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
			chunk(smuggled), true},
		{"broken chunked", "POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"5\r\nhello\r\n" + smuggled, true},
	}
	s := newTestServer(t, "HTTP/1.1")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.Dial(t)
			c.Write(t, tt.request)
			if tt.close {
				c.CloseWrite()
			} else {
				c.Write(t, "GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
			}
			resp := c.ReadResponse(t, "POST")
			if resp.Status != 200 || resp.Body != "ok\n" {
				t.Fatalf("first response: got %v, want 200 ok", resp)
			}
			rest := c.ReadAll(t)
			if strings.Contains(rest, "smuggled") {
				t.Fatalf("the body was parsed as a request; the server then sent:\n%s", rest)
			}
			if tt.close {
				if rest != "" {
					t.Fatalf("after the response: got %q, want the connection closed", rest)
				}
				return
			}
			if !strings.Contains(rest, "\r\n\r\nGET /next HTTP/1.1\n") {
				t.Fatalf("second request: got\n%s\nwant the echo of GET /next", rest)
			}
		})
	}
}
