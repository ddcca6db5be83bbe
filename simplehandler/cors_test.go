package simplehandler

import (
	"net/http"
	"testing"
)

// TestCORS checks preflights, plain OPTIONS and the fields of ordinary
// answers, with CORS on and off.
func TestCORS(t *testing.T) {
	files := map[string]fileSpec{"f.txt": {"Hello, world\n", condMtime}, "sub/x.txt": {"x", condMtime}}
	_, on, _ := serveFiles(t, files, func(h *Handler) { h.CORS = true })
	_, off, _ := serveFiles(t, files, nil)
	const origin = "https://app.example"
	preflight := func(extra ...[2]string) [][2]string {
		return append([][2]string{{"Origin", origin}, {"Access-Control-Request-Method", "GET"}}, extra...)
	}
	allowOrigin := map[string]string{"Access-Control-Allow-Origin": "*",
		"Access-Control-Expose-Headers": "Accept-Ranges, Content-Encoding, Content-Range, ETag"}
	for _, tc := range []struct {
		name           string
		srv            *testServer
		method, target string
		header         [][2]string
		wantStatus     int
		want           map[string]string
		absent         []string
	}{
		{name: "preflight", srv: on, method: "OPTIONS", target: "/f.txt",
			header:     preflight([2]string{"Access-Control-Request-Headers", "x-requested-with, Range"}),
			wantStatus: 204,
			want: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
				"Access-Control-Allow-Headers": "x-requested-with, Range", "Access-Control-Max-Age": "86400"},
			absent: []string{"Content-Length", "Allow"}},
		{name: "preflight without headers", srv: on, method: "OPTIONS", target: "/f.txt", header: preflight(), wantStatus: 204,
			want: map[string]string{"Access-Control-Allow-Methods": "GET, HEAD, OPTIONS"}, absent: []string{"Access-Control-Allow-Headers"}},
		{name: "preflight with header lines", srv: on, method: "OPTIONS", target: "/f.txt",
			header: preflight([2]string{"Access-Control-Request-Headers", "a"}, [2]string{"Access-Control-Request-Headers", "b"}), wantStatus: 204,
			want: map[string]string{"Access-Control-Allow-Headers": "a, b"}},
		{name: "preflight with a bad header name", srv: on, method: "OPTIONS", target: "/f.txt",
			header: preflight([2]string{"Access-Control-Request-Headers", "ok, not ok"}), wantStatus: 204,
			absent: []string{"Access-Control-Allow-Headers"}},
		{name: "preflight for a missing file", srv: on, method: "OPTIONS", target: "/nope", header: preflight(), wantStatus: 204},
		{name: "plain options", srv: on, method: "OPTIONS", target: "/f.txt", wantStatus: 204,
			want:   map[string]string{"Allow": "GET, HEAD, OPTIONS", "Access-Control-Allow-Origin": "*"},
			absent: []string{"Access-Control-Allow-Methods", "Access-Control-Max-Age"}},
		{name: "options star", srv: on, method: "OPTIONS", target: "*", wantStatus: 204},
		{name: "file", srv: on, method: "GET", target: "/f.txt", header: [][2]string{{"Origin", origin}}, wantStatus: 200, want: allowOrigin},
		{name: "file without origin", srv: on, method: "GET", target: "/f.txt", wantStatus: 200, want: allowOrigin},
		{name: "head", srv: on, method: "HEAD", target: "/f.txt", wantStatus: 200, want: allowOrigin},
		{name: "range", srv: on, method: "GET", target: "/f.txt", header: [][2]string{{"Range", "bytes=0-4"}}, wantStatus: 206, want: allowOrigin},
		{name: "not satisfiable", srv: on, method: "GET", target: "/f.txt", header: [][2]string{{"Range", "bytes=100-"}}, wantStatus: 416,
			want: allowOrigin},
		{name: "not modified", srv: on, method: "GET", target: "/f.txt", header: [][2]string{{"If-Modified-Since", condLM}}, wantStatus: 304,
			want: allowOrigin},
		{name: "listing", srv: on, method: "GET", target: "/", wantStatus: 200, want: allowOrigin},
		{name: "redirect", srv: on, method: "GET", target: "/sub", wantStatus: 301, want: allowOrigin},
		{name: "error page", srv: on, method: "GET", target: "/nope", header: [][2]string{{"Origin", origin}}, wantStatus: 404,
			want: allowOrigin},
		{name: "unsupported method", srv: on, method: "POST", target: "/f.txt", wantStatus: 501, want: allowOrigin},

		{name: "off: preflight", srv: off, method: "OPTIONS", target: "/f.txt", header: preflight(), wantStatus: 501,
			absent: []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods"}},
		{name: "off: file", srv: off, method: "GET", target: "/f.txt", header: [][2]string{{"Origin", origin}}, wantStatus: 200,
			absent: []string{"Access-Control-Allow-Origin", "Access-Control-Expose-Headers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := get(t, tc.srv, tc.method, tc.target, tc.header...)
			if resp.status != tc.wantStatus {
				t.Fatalf("got %d %s, want %d", resp.status, resp.reason, tc.wantStatus)
			}
			for k, want := range tc.want {
				if got := resp.header.Values(k); len(got) != 1 || got[0] != want {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			for _, k := range tc.absent {
				if got := resp.header.Values(k); len(got) > 0 {
					t.Errorf("%s: got %q, want none", k, got)
				}
			}
			if tc.wantStatus == http.StatusNoContent && len(resp.body) > 0 {
				t.Errorf("body: got %q, want none", resp.body)
			}
		})
	}
}
