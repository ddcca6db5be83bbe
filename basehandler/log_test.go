package basehandler_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

// TestLog checks the log lines against Python's format, byte for byte:
// log_request's request line and status, send_error's "code %d, message
// %s", and log_message's escaping of control characters (ports of
// RequestHandlerLoggingTestCase and test_unprintable_not_logged).
func TestLog(t *testing.T) {
	now := time.Date(2026, time.November, 21, 16, 19, 40, 0, time.UTC)
	// Python's log_date_time_string is local time; compute it from the
	// same instant so the test passes in any time zone.
	prefix := "127.0.0.1 - - [" + now.Local().Format("02/Jan/2006 15:04:05") + "] "
	s := basehandlertest.NewServer(t, &basehandler.Server{
		Protocol: "HTTP/1.1",
		Now:      func() time.Time { return now },
		Handler: basehandler.HandlerFunc(func(w *basehandler.Response, r *basehandler.Request) {
			switch r.Path {
			case "/notfound":
				w.SendError(http.StatusNotFound, "File not found")
			case "/message":
				w.LogMessage("%s", "/foo")
				w.LogMessage("%s", "/\033bar\000\033")
				w.LogMessage("/spam %s.", "a")
				w.LogMessage("/spam %s.", "\033\x7f\u009f\u00a0beans")
				w.LogMessage("%s", `"GET /foo\b"ar`+"\007 HTTP/1.0\"")
				w.LogError("multi\nline")
				testHandler(w, r)
			default:
				testHandler(w, r)
			}
		}),
	})
	tests := []struct {
		name    string
		request string
		want    []string // the lines, without the prefix
	}{
		{name: "GET", request: "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{`"GET / HTTP/1.1" 200 -`}},
		{name: "send_error", request: "GET /notfound HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{`code 404, message File not found`, `"GET /notfound HTTP/1.1" 404 -`}},
		{name: "HTTP/0.9", request: "GET /nine\r\n",
			want: []string{`"GET /nine" 200 -`}},
		{name: "backslash", request: "GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{`"GET /a\\b HTTP/1.1" 200 -`}},
		{name: "tab", request: "GET\t/t HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{`"GET\x09/t HTTP/1.1" 200 -`}},
		{name: "Latin-1", request: "GET /caf\xe9\xa0\xff HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{"\"GET /caf\u00e9\u00a0\u00ff HTTP/1.1\" 200 -"}},
		{name: "C1 control", request: "GET /a\x85\x9f HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{`"GET /a\x85\x9f HTTP/1.1" 200 -`}},
		{name: "escape in target", request: "GET /\x1b[31mred HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{
				`code 400, message Bad request target ('/\\x1b[31mred')`,
				`"GET /\x1b[31mred HTTP/1.1" 400 -`,
			}},
		{name: "escape in version", request: "GET / HTTP/1.\x01\r\n\r\n",
			want: []string{
				`code 400, message Bad request version ('HTTP/1.\\x01')`,
				`"GET / HTTP/1.\x01" 400 -`,
			}},
		{name: "414", request: "GET /" + strings.Repeat("a", 70000) + " HTTP/1.1\r\n\r\n",
			want: []string{`code 414, message Request-URI Too Long`, `"" 414 -`}},
		{name: "log_message", request: "GET /message HTTP/1.1\r\nHost: a\r\n\r\n",
			want: []string{
				`/foo`,
				`/\x1bbar\x00\x1b`,
				`/spam a.`,
				"/spam \\x1b\\x7f\\x9f\u00a0beans.",
				`"GET /foo\\b"ar\x07 HTTP/1.0"`,
				`multi\x0aline`,
				`"GET /message HTTP/1.1" 200 -`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Log.Reset()
			c := s.Dial(t)
			c.Write(t, tt.request)
			c.ReadResponse(t, "GET")
			c.Close()
			var want strings.Builder
			for _, line := range tt.want {
				want.WriteString(prefix + line + "\n")
			}
			if got := s.Log.String(); got != want.String() {
				t.Errorf("log:\ngot:\n%s\nwant:\n%s", got, want.String())
			}
		})
	}
}
