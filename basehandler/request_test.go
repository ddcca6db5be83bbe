package basehandler_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/httpserve/httpserve/basehandler"
)

// TestParseRequest covers every outcome of Python's parse_request and
// handle_one_request over a real socket, plus the RFC 9112 rules that
// httpserve enforces and Python does not (see the package doc). Several
// cases are ports of test_httpservers.py's BaseHTTPServerTestCase and
// BaseHTTPRequestHandlerTestCase.
func TestParseRequest(t *testing.T) {
	longTarget := func(lineLen int) string {
		// "GET /" + a... + " HTTP/1.1\r\n" is lineLen bytes.
		return "/" + strings.Repeat("a", lineLen-len("GET / HTTP/1.1\r\n"))
	}
	manyFields := func(n int) string {
		var b strings.Builder
		b.WriteString("GET /many HTTP/1.1\r\nHost: a\r\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "X-%d: v\r\n", i)
		}
		return b.String() + "\r\n"
	}
	longField := func(lineLen int) string {
		return "X-Long: " + strings.Repeat("b", lineLen-len("X-Long: \r\n"))
	}
	runWireTests(t, []wireTest{
		// The request line: three words, two (HTTP/0.9), or an error.
		{name: "three words", request: "GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n", status: 200,
			echo: []string{"GET /a?b HTTP/1.1", "path=/a?b", "host=h", "Host: h", `body=""`}},
		{name: "HTTP/1.0", request: "GET / HTTP/1.0\r\n\r\n", status: 200, close: true,
			echo: []string{"GET / HTTP/1.0", "host="}},
		{name: "HTTP/0.9 two words", request: "GET /nine\r\n", status: 0,
			echo: []string{"GET /nine HTTP/0.9", "path=/nine"}},
		{name: "HTTP/0.9 three words", request: "GET /nine HTTP/0.9\r\n", status: 0,
			echo: []string{"GET /nine HTTP/0.9"}},
		{name: "two words POST", request: "POST /\r\n", status: 400, close: true,
			reason: "Bad HTTP/0.9 request type ('POST')"},
		{name: "one word", request: "GET\r\n", status: 400, close: true,
			reason: "Bad request syntax ('GET')"},
		{name: "four words, bad last", request: "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('x')"},
		{name: "four words", request: "GET / x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Bad request syntax ('GET / x HTTP/1.1')"},
		// Python's version is words[-1], however many words there are.
		{name: "five words", request: "GET / HTTP/1.1 HTTP/1.1 x\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('x')"},
		{name: "five words, good last", request: "GET / x y HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Bad request syntax ('GET / x y HTTP/1.1')"},
		{name: "tabs and runs of spaces", request: "GET\t/t  HTTP/1.1 \r\nHost: a\r\n\r\n", status: 200,
			echo: []string{"GET /t HTTP/1.1"}},
		{name: "blank line", request: "  \r\n", status: 400, close: true,
			reason: "Bad request syntax ('  ')"},

		// HTTP-version: Python's leniency, and 505 from 2.0 up.
		{name: "version HTTP/1", request: "GET / HTTP/1\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('HTTP/1')"},
		{name: "version HTTP/1.1.1", request: "GET / HTTP/1.1.1\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('HTTP/1.1.1')"},
		{name: "version HTTP/9.9.9", request: "GET / HTTP/9.9.9\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('HTTP/9.9.9')"},
		{name: "version HTTP/a.b", request: "GET / HTTP/a.b\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('HTTP/a.b')"},
		{name: "version FOO", request: "GET / FOO\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('FOO')"},
		{name: "version signs and underscores", request: "GET / HTTP/-9_9_9.+9_9_9\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('HTTP/-9_9_9.+9_9_9')"},
		{name: "major version too long", request: "GET / HTTP/909876543210.0\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('HTTP/909876543210.0')"},
		{name: "minor version too long", request: "GET / HTTP/1.909876543210\r\n\r\n", status: 400, close: true,
			reason: "Bad request version ('HTTP/1.909876543210')"},
		{name: "version HTTP/01.01", request: "GET / HTTP/01.01\r\nHost: a\r\n\r\n", status: 200,
			echo: []string{"GET / HTTP/01.01"}},
		{name: "version HTTP/1.2 is 1.1", request: "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 200,
			echo: []string{"GET / HTTP/1.2"}},
		{name: "version HTTP/1.2 needs Host", request: "GET / HTTP/1.2\r\n\r\n", status: 400, close: true,
			reason: "Missing Host header"},
		{name: "version HTTP/2.0", request: "GET / HTTP/2.0\r\n\r\n", status: 505, close: true,
			reason: "Invalid HTTP version (2.0)"},
		{name: "version HTTP/3.0", request: "GET / HTTP/3.0\r\n\r\n", status: 505, close: true,
			reason: "Invalid HTTP version (3.0)"},
		{name: "version HTTP/9.9", request: "GET / HTTP/9.9\r\n\r\n", status: 505, close: true,
			reason: "Invalid HTTP version (9.9)"},

		// Lengths: Python's readline(65537) and http.client's limits.
		{name: "request line of 65536 bytes", request: "GET " + longTarget(65536) + " HTTP/1.1\r\nHost: a\r\n\r\n",
			status: 200, echo: []string{"GET " + longTarget(65536) + " HTTP/1.1"}},
		{name: "request line of 65537 bytes", request: "GET " + longTarget(65537) + " HTTP/1.1\r\nHost: a\r\n\r\n",
			status: 414, close: true},
		{name: "request line without end", request: "GET /" + strings.Repeat("x", 65537), method: "GET",
			status: 414, close: true},
		{name: "field line of 65536 bytes", request: "GET / HTTP/1.1\r\nHost: a\r\n" + longField(65536) + "\r\n\r\n",
			status: 200, echo: []string{longField(65536)}},
		{name: "field line of 65537 bytes", request: "GET / HTTP/1.1\r\nHost: a\r\n" + longField(65537) + "\r\n\r\n",
			status: 431, close: true, reason: "Line too long", explain: "got more than 65536 bytes when reading header line"},
		{name: "99 field lines", request: manyFields(99), status: 200, echo: []string{"X-98: v"}},
		{name: "100 field lines", request: manyFields(100), status: 431, close: true,
			reason: "Too many headers", explain: "got more than 100 headers"},

		// Field lines (RFC 9112 section 5).
		{name: "whitespace before colon", request: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400, close: true,
			reason: "Bad header line ('Host : a')"},
		{name: "invalid field name", request: "GET / HTTP/1.1\r\nHost: a\r\nFo@o: x\r\n\r\n", status: 400, close: true,
			reason: "Bad header line ('Fo@o: x')"},
		{name: "line without colon", request: "GET / HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n", status: 400, close: true,
			reason: "Bad header line ('nocolon')"},
		{name: "NUL in field value", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x00b\r\n\r\n", status: 400, close: true,
			reason: "Bad header value ('X-A')"},
		{name: "obs-fold", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Fold: one\r\n two\r\n\tthree\r\n\r\n", status: 200,
			echo: []string{"X-Fold: one two three"}},
		{name: "obs-fold of an empty value", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Fold:\r\n two\r\n\r\n", status: 200,
			echo: []string{"X-Fold: two"}},
		{name: "obs-fold first", request: "GET / HTTP/1.1\r\n folded\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Bad header continuation line"},
		{name: "canonical names", request: "GET / HTTP/1.1\r\nhost: a\r\nx-lower-CASE: v\r\n\r\n", status: 200,
			echo: []string{"Host: a", "X-Lower-Case: v"}},
		{name: "repeated field", request: "GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\nAccept: y\r\n\r\n", status: 200,
			echo: []string{"Accept: x", "Accept: y"}},
		{name: "Latin-1 and UTF-8 value", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Special-Incoming: \xc4rger mit \xc3\x84\r\n\r\n", status: 200,
			echo: []string{"X-Special-Incoming: \xc4rger mit \xc3\x84"}},
		{name: "bare LF line ends", request: "GET /lf HTTP/1.1\nHost: a\nX-A: b\n\n", status: 200,
			echo: []string{"GET /lf HTTP/1.1", "X-A: b"}},
		{name: "empty lines before the request line", request: "\r\n\n\r\nGET /e HTTP/1.1\r\nHost: a\r\n\r\n", status: 200,
			echo: []string{"GET /e HTTP/1.1"}},

		// Host (RFC 9112 section 3.2).
		{name: "HTTP/1.1 without Host", request: "GET / HTTP/1.1\r\n\r\n", status: 400, close: true,
			reason: "Missing Host header"},
		{name: "two Hosts", request: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, close: true,
			reason: "Too many Host headers"},
		{name: "two Hosts in HTTP/1.0", request: "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Too many Host headers"},
		{name: "bad Host", request: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400, close: true,
			reason: "Bad Host header"},
		{name: "HTTP/1.0 without Host", request: "GET / HTTP/1.0\r\n\r\n", status: 200, close: true,
			echo: []string{"GET / HTTP/1.0"}},

		// The request-target (RFC 9112 section 3.2).
		{name: "absolute-form", request: "GET http://example.com:8080/a?b HTTP/1.1\r\nHost: other\r\n\r\n", status: 200,
			echo: []string{"GET http://example.com:8080/a?b HTTP/1.1", "path=/a?b", "host=example.com:8080"}},
		{name: "absolute-form without path", request: "GET HTTPS://example.com HTTP/1.1\r\nHost: other\r\n\r\n", status: 200,
			echo: []string{"path=/", "host=example.com"}},
		{name: "absolute-form with a bad authority", request: "GET http://exa\"mple.com/ HTTP/1.1\r\nHost: a\r\n\r\n",
			status: 400, reason: `Bad request target ('http://exa"mple.com/')`, close: true},
		{name: "asterisk-form", request: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", status: 200,
			echo: []string{"OPTIONS * HTTP/1.1", "path=*"}},
		{name: "leading slashes reduced", request: "GET //evil.example//x HTTP/1.1\r\nHost: a\r\n\r\n", status: 200,
			echo: []string{"GET //evil.example//x HTTP/1.1", "path=/evil.example//x"}},
		{name: "relative target", request: "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Bad request target ('foo')"},
		{name: "control character in target", request: "GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: `Bad request target ('/a\x01b')`},
		{name: "DEL in target", request: "GET /a\x7fb HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: `Bad request target ('/a\x7fb')`},
		{name: "Latin-1 in target", request: "GET /caf\xe9 HTTP/1.1\r\nHost: a\r\n\r\n", status: 200,
			echo: []string{"GET /caf\xe9 HTTP/1.1"}},

		// The method: case-sensitive, a token.
		{name: "lowercase get", request: "get / HTTP/1.1\r\nHost: a\r\n\r\n", status: 501, close: true,
			reason: "Unsupported method ('get')"},
		{name: "unknown method", request: "XYZBOGUS / HTTP/1.1\r\nHost: a\r\n\r\n", status: 501, close: true,
			reason: "Unsupported method ('XYZBOGUS')"},
		{name: "method not a token", request: "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, close: true,
			reason: "Bad request method ('G(T')"},
		{name: "script as method", request: "<script>alert(\"hello\")</script> / HTTP/1.1\r\n\r\n", status: 400, close: true,
			reason: "Bad request method ('<script>alert(\"hello\")</script>')"},
	})
}

// TestRepr checks Repr against Python's repr of the bytes read as
// ISO-8859-1, as the results below were printed by python3.
func TestRepr(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "POST", `'POST'`},
		{"single quote", "FO'O", `"FO'O"`},
		{"both quotes", `a'b"c`, `'a\'b"c'`},
		{"nul", "\x00", `'\x00'`},
		{"tab newline return", "\t\n\r", `'\t\n\r'`},
		{"latin-1 letter", "\xe9", `'é'`},
		{"y diaeresis", "\xff", `'ÿ'`},
		{"nbsp", "\xa0", `'\xa0'`},
		{"soft hyphen", "\xad", `'\xad'`},
		{"backslash", `a\b`, `'a\\b'`},
		{"del and c1", "\x7f\x80\x9f", `'\x7f\x80\x9f'`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := basehandler.Repr(tc.in); got != tc.want {
				t.Errorf("Repr(%q): got %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}
