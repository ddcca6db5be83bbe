package simplehandler

import (
	"bufio"
	"context"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startPython runs Python's http.server on dir and returns its address.
// The tests compare with Python itself; without python3 they skip, since
// every expectation they check is also written in serveCases.
func startPython(t *testing.T, dir string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("python3 is needed to compare with Python's http.server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, py, "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir, "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })

	// "Serving HTTP on 127.0.0.1 port 41235 (http://127.0.0.1:41235/) ..."
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		m := regexp.MustCompile(`port (\d+)`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("python3 -m http.server said %q", s)
		}
		return "127.0.0.1:" + m[1]
	case <-time.After(20 * time.Second):
		t.Fatal("python3 -m http.server did not start")
	}
	return ""
}

// TestMatchesPython sends the cases of serveCases to Python 3.11's
// http.server, serving the same fixture, and checks that Python answers
// as the cases say: the same status line, Location, and Content-Length
// and Last-Modified for files, except where a case records a deliberate
// difference (py, pyLocation). Cases that follow symlinks, or where Python
// never answers, are not sent.
func TestMatchesPython(t *testing.T) {
	f := newFixture(t)
	addr := startPython(t, f.root)
	ours := startServer(t, newHandler(t, f.root, false), "HTTP/1.0")
	for i := range serveCases {
		c := &serveCases[i]
		if c.follow || c.py < 0 {
			continue
		}
		for _, method := range c.methods() {
			t.Run(c.name+"/"+method, func(t *testing.T) {
				if why := f.missing[c.needs]; why != "" {
					t.Skip(why)
				}
				got, err := rawExchange(addr, c.request(method))
				if err != nil {
					t.Fatalf("python: %v", err)
				}
				want, err := rawExchange(ours.addr, c.request(method))
				if err != nil {
					t.Fatal(err)
				}
				if c.py != 0 {
					if got.status != c.py {
						t.Errorf("python's status: got %d %s, want %d as the case records", got.status, got.reason, c.py)
					}
					return
				}
				if got.status != want.status || got.reason != want.reason {
					t.Errorf("status: python %d %s, ours %d %s", got.status, got.reason, want.status, want.reason)
				}
				wantLocation := want.header.Get("Location")
				if c.pyLocation != "" {
					wantLocation = c.pyLocation
				}
				if loc := got.header.Get("Location"); loc != wantLocation {
					t.Errorf("Location: python %q, ours %q", loc, wantLocation)
				}
				if want.header.Get("Last-Modified") == "" {
					return // not a file
				}
				for _, k := range []string{"Content-Length", "Last-Modified"} {
					if got.header.Get(k) != want.header.Get(k) {
						t.Errorf("%s: python %q, ours %q", k, got.header.Get(k), want.header.Get(k))
					}
				}
				// Python's type is ours without the charset and sniffing.
				pyType, ourType := got.header.Get("Content-type"), want.header.Get("Content-type")
				if base, _, _ := strings.Cut(ourType, ";"); pyType != base && pyType != "application/octet-stream" {
					t.Errorf("Content-type: python %q, ours %q", pyType, ourType)
				}
				if method == http.MethodGet && string(got.body) != string(want.body) {
					t.Errorf("body: python %d bytes, ours %d", len(got.body), len(want.body))
				}
			})
		}
	}
}
