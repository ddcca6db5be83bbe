package basehandler_test

import (
	"bufio"
	"crypto/tls"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

// TestExtraHeaders checks that Server.ExtraHeaders go out with every
// response, error pages and bodiless ones included.
func TestExtraHeaders(t *testing.T) {
	s := funcServer(t, &basehandler.Server{
		ExtraHeaders: []basehandler.Header{{Name: "X-Content-Type-Options", Value: "nosniff"}},
	}, testHandler)
	for _, request := range []string{
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /stream HTTP/1.0\r\n\r\n",
		"GET /error?404 HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /status?304 HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/9.9\r\n\r\n",
	} {
		c := s.Dial(t)
		c.Write(t, request)
		resp := c.ReadResponse(t, "GET")
		if !slices.Contains(resp.Fields, "X-Content-Type-Options: nosniff") {
			t.Errorf("%q: got fields %q, want X-Content-Type-Options", request, resp.Fields)
		}
	}
}

// TestTLS serves over a TLS listener: a request gets its answer and sees
// the connection state, and plain HTTP sent to the TLS port gets a plain
// 400, as net/http answers it.
func TestTLS(t *testing.T) {
	cert := basehandlertest.SelfSigned(t)
	inner, err := basehandler.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := tls.NewListener(inner, &tls.Config{Certificates: []tls.Certificate{cert}})
	s := basehandlertest.Start(t, &basehandler.Server{
		Protocol: "HTTP/1.1",
		Handler: basehandler.HandlerFunc(func(w *basehandler.Response, r *basehandler.Request) {
			if r.TLS == nil || !r.TLS.HandshakeComplete {
				w.SendError(http.StatusInternalServerError, "no TLS state")
				return
			}
			testHandler(w, r)
		}),
	}, ln)

	t.Run("HTTPS", func(t *testing.T) {
		nc, err := tls.Dial("tcp", s.Addr, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(basehandlertest.Timeout))
		c := &basehandlertest.Conn{Conn: nc, R: bufio.NewReader(nc)}
		for _, path := range []string{"/one", "/two"} {
			c.Write(t, "GET "+path+" HTTP/1.1\r\nHost: a\r\n\r\n")
			if resp := c.ReadResponse(t, "GET"); resp.Status != 200 || !strings.HasPrefix(resp.Body, "GET "+path+" ") {
				t.Errorf("got %v, want the echo of %s", resp, path)
			}
		}
	})
	t.Run("plain HTTP to the TLS port", func(t *testing.T) {
		got := s.RoundTrip(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
		want := "HTTP/1.0 400 Bad Request\r\n"
		if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "\r\n\r\nClient sent an HTTP request to an HTTPS server.\n") {
			t.Errorf("got %q, want a plain %q", got, want)
		}
	})
}
