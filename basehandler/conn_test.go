package basehandler_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

// TestKeepAlive covers the close_connection decision, which conn.serve
// makes once per request (RFC 9112 section 9.3, and Python's rules).
func TestKeepAlive(t *testing.T) {
	runWireTests(t, []wireTest{
		{name: "Protocol HTTP/1.0 closes", protocol: "HTTP/1.0", request: "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
			status: 200, close: true, absent: []string{"Connection"}, echo: []string{"GET / HTTP/1.1"}},
		{name: "Protocol HTTP/1.0, keep-alive asked", protocol: "HTTP/1.0", request: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
			status: 200, close: true, absent: []string{"Connection"}, echo: []string{"path=/"}},
		{name: "HTTP/1.1 stays open", request: "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
			status: 200, absent: []string{"Connection"}, echo: []string{"path=/"}},
		{name: "Connection: close", request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
			status: 200, close: true, echo: []string{"path=/"}},
		{name: "Connection: close in a list", request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: TE, Close\r\n\r\n",
			status: 200, close: true, echo: []string{"path=/"}},
		{name: "HTTP/1.0 client", request: "GET / HTTP/1.0\r\n\r\n",
			status: 200, close: true, absent: []string{"Connection"}, echo: []string{"path=/"}},
		{name: "HTTP/1.0 client asks for keep-alive", request: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
			status: 200, fields: []string{"Connection: keep-alive"}, echo: []string{"path=/"}},
		{name: "HTTP/1.0 client, Keep-Alive in capitals", request: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
			status: 200, fields: []string{"Connection: keep-alive"}, echo: []string{"path=/"}},
	})
}

// TestPipelining sends three requests in one write: they are answered in
// order, each body read from where the previous request ended.
func TestPipelining(t *testing.T) {
	s := newTestServer(t, "HTTP/1.1")
	c := s.Dial(t)
	c.Write(t, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"+
		"POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody"+
		"POST /ignore HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nGET \r\n0\r\n\r\n"+
		"HEAD /4 HTTP/1.1\r\nHost: a\r\n\r\n"+
		"GET /5 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
	for _, want := range []struct{ method, body string }{
		{"GET", "GET /1 HTTP/1.1\n"},
		{"POST", "POST /2 HTTP/1.1\n"},
		{"POST", "ok\n"},
		{"HEAD", ""},
		{"GET", "GET /5 HTTP/1.1\n"},
	} {
		resp := c.ReadResponse(t, want.method)
		if resp.Status != 200 || !strings.HasPrefix(resp.Body, want.body) {
			t.Fatalf("got %v, want 200 and a body starting %q", resp, want.body)
		}
	}
	if !c.Closed() {
		t.Error("connection open after Connection: close")
	}
}

// funcServer starts a server with handler h and the given settings.
func funcServer(t *testing.T, s *basehandler.Server, h basehandler.HandlerFunc) *basehandlertest.Server {
	t.Helper()
	s.Handler = h
	if s.Protocol == "" {
		s.Protocol = "HTTP/1.1"
	}
	return basehandlertest.NewServer(t, s)
}

// TestExpectContinue checks that "100 Continue" is sent when the handler
// first reads the body, and only on an HTTP/1.1 exchange (Python's
// handle_expect_100 conditions; BaseHTTPRequestHandlerTestCase's
// test_with_continue_1_0 and test_with_continue_1_1).
func TestExpectContinue(t *testing.T) {
	entered := make(chan struct{}, 1)
	proceed := make(chan struct{})
	s := funcServer(t, &basehandler.Server{}, func(w *basehandler.Response, r *basehandler.Request) {
		if r.Path == "/wait" {
			entered <- struct{}{}
			<-proceed
		}
		if r.Path == "/started" {
			// The response starts before the body is read: a 100
			// Continue now would land inside the head.
			w.SendResponse(http.StatusOK)
			w.SendHeader("Content-Length", "5")
			io.ReadAll(r.Body)
			w.EndHeaders()
			w.WriteString("done\n")
			return
		}
		testHandler(w, r)
	})
	head := "POST /wait HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"

	t.Run("sent when the handler reads", func(t *testing.T) {
		c := s.Dial(t)
		c.Write(t, head)
		<-entered
		c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if b, err := c.R.Peek(1); err == nil {
			t.Fatalf("got %q before the handler read the body, want nothing", b)
		}
		c.SetReadDeadline(time.Now().Add(basehandlertest.Timeout))
		proceed <- struct{}{}
		interim := c.ReadResponse(t, "POST")
		if interim.Proto != "HTTP/1.1" || interim.Status != 100 || interim.Reason != "Continue" || len(interim.Fields) != 0 {
			t.Fatalf("got %v, want HTTP/1.1 100 Continue alone", interim)
		}
		c.Write(t, "hello")
		resp := c.ReadResponse(t, "POST")
		if resp.Status != 200 || !strings.Contains(resp.Body, `body="hello"`) {
			t.Fatalf("got %v, want the echo of the body", resp)
		}
	})

	tests := []struct {
		name     string
		protocol string
		request  string
		want     string // the start of the exchange
		close    bool   // the response says Connection: close
	}{
		{name: "not sent when the handler does not read",
			request: "POST /ignore HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
			want:    "HTTP/1.1 200 OK\r\n", close: true},
		{name: "not sent to HTTP/1.0",
			request: "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello",
			want:    "HTTP/1.1 200 OK\r\n"},
		{name: "not sent under Protocol HTTP/1.0", protocol: "HTTP/1.0",
			request: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello",
			want:    "HTTP/1.0 200 OK\r\n"},
		{name: "not sent without a body",
			request: "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
			want:    "HTTP/1.1 200 OK\r\n"},
		{name: "sent once",
			request: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
			want:    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"},
		{name: "not sent once the response started",
			request: "POST /started HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
			want:    "HTTP/1.1 200 OK\r\n"},
	}
	servers := map[string]*basehandlertest.Server{
		"":         s,
		"HTTP/1.0": funcServer(t, &basehandler.Server{Protocol: "HTTP/1.0"}, testHandler),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := servers[tt.protocol].RoundTrip(t, tt.request)
			if !strings.HasPrefix(got, tt.want) || strings.Count(got, " 100 ") != strings.Count(tt.want, " 100 ") {
				t.Errorf("got:\n%s\nwant it to start with:\n%s", got, tt.want)
			}
			if tt.close != strings.Contains(got, "\r\nConnection: close\r\n") {
				t.Errorf("got:\n%s\nwant Connection: close: %v", got, tt.close)
			}
			if strings.Contains(tt.name, "started") && !strings.HasSuffix(got, "\r\n\r\ndone\n") {
				t.Errorf("got:\n%s\nwant a whole response", got)
			}
		})
	}
}

// TestHandlerPanics checks that a panicking handler costs its connection
// only: the panic is logged, the connection closed, and the server goes on.
func TestHandlerPanics(t *testing.T) {
	s := newTestServer(t, "HTTP/1.1")
	if got := s.RoundTrip(t, "GET /panic HTTP/1.1\r\nHost: a\r\n\r\n"); got != "" {
		t.Errorf("got %q, want the connection closed without a response", got)
	}
	if got := s.RoundTrip(t, "GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"); !strings.Contains(got, "GET /after HTTP/1.1\n") {
		t.Errorf("next connection: got %q, want the echo", got)
	}
	log := s.Log.String()
	if !strings.Contains(log, "] Exception occurred during processing of request from 127.0.0.1:") ||
		!strings.Contains(log, "test handler panics") {
		t.Errorf("log lacks the panic:\n%s", log)
	}
}

// TestTimeouts checks that slow or silent clients lose their connection.
// It asserts that the connection closes, never how long that took.
func TestTimeouts(t *testing.T) {
	const short = 200 * time.Millisecond
	writeErr := make(chan error, 1)
	s := funcServer(t, &basehandler.Server{
		HeaderTimeout: short, IdleTimeout: short, ReadTimeout: short, WriteTimeout: short,
	}, func(w *basehandler.Response, r *basehandler.Request) {
		if r.Path == "/big" {
			w.SendResponse(http.StatusOK)
			w.EndHeaders()
			chunk := make([]byte, 1<<20)
			for {
				if _, err := w.Write(chunk); err != nil {
					writeErr <- err
					return
				}
			}
		}
		testHandler(w, r)
	})
	tests := []struct {
		name    string
		request string
		trickle bool   // send the request a byte at a time, without end
		slow    string // sent a byte at a time after the request
		want    string // what the server sends before closing
	}{
		{name: "silent client"},
		{name: "trickled head", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + strings.Repeat("x", 1000), trickle: true},
		{name: "stalled head", request: "GET / HTTP/1.1\r\nHost: a\r\n"},
		{name: "stalled body", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234"},
		{name: "idle keep-alive connection", request: "GET / HTTP/1.1\r\nHost: a\r\n\r\n", want: "HTTP/1.1 200 OK\r\n"},
		// The server discards what the handler left of a body: one
		// ReadTimeout for all of it, or a trickle would hold the
		// connection for 256 KiB times ReadTimeout.
		{name: "trickled unread body", request: "POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n",
			slow: strings.Repeat("x", 1000), want: "HTTP/1.1 200 OK\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.Dial(t)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			slow := tt.slow
			if tt.trickle {
				slow = tt.request
			} else {
				c.Write(t, tt.request)
			}
			sentAll := false // the client sent all of slow: no timeout cut it short
			if slow != "" {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < len(slow); i++ {
						select {
						case <-stop:
							return
						case <-time.After(10 * time.Millisecond):
						}
						if _, err := c.Conn.Write([]byte{slow[i]}); err != nil {
							return
						}
					}
					sentAll = true
				}()
			}
			got := c.ReadAll(t)
			close(stop)
			wg.Wait()
			if sentAll {
				t.Errorf("the server read all %d trickled bytes, want it to close first", len(slow))
			}
			if !strings.HasPrefix(got, tt.want) || tt.want == "" && got != "" {
				t.Errorf("got %q before the close, want %q", got, tt.want)
			}
		})
	}
	t.Run("client that does not read", func(t *testing.T) {
		c := s.Dial(t)
		c.Write(t, "GET /big HTTP/1.1\r\nHost: a\r\n\r\n")
		select {
		case err := <-writeErr:
			if !isTimeout(err) {
				t.Errorf("Write returned %v, want a timeout", err)
			}
		case <-time.After(basehandlertest.Timeout):
			t.Fatal("Write still blocked on a client that does not read")
		}
	})
	if log := s.Log.String(); !strings.Contains(log, "Request timed out: ") {
		t.Errorf("log lacks Request timed out:\n%s", log)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TestShutdown checks Serve's graceful shutdown: idle keep-alive
// connections close at once, a request in flight finishes (told
// Connection: close), no new connection is served, and Serve returns nil.
func TestShutdown(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	s := funcServer(t, &basehandler.Server{}, func(w *basehandler.Response, r *basehandler.Request) {
		if r.Path == "/slow" {
			close(entered)
			<-release
		}
		testHandler(w, r)
	})
	idle := s.Dial(t)
	idle.Write(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	if resp := idle.ReadResponse(t, "GET"); resp.Status != 200 {
		t.Fatalf("first request: %v", resp)
	}
	busy := s.Dial(t)
	busy.Write(t, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
	<-entered

	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	if !idle.Closed() {
		t.Error("idle keep-alive connection still open during shutdown")
	}
	if c, err := net.Dial("tcp", s.Addr); err == nil {
		c.SetDeadline(time.Now().Add(basehandlertest.Timeout))
		io.WriteString(c, "GET / HTTP/1.0\r\n\r\n")
		if b, _ := io.ReadAll(c); len(b) > 0 {
			t.Errorf("a connection made during shutdown was served: %q", b)
		}
		c.Close()
	}
	close(release)
	resp := busy.ReadResponse(t, "GET")
	if resp.Status != 200 || !strings.HasPrefix(resp.Body, "GET /slow HTTP/1.1\n") {
		t.Errorf("request in flight: got %v, want its echo", resp)
	}
	if h := resp.Header.Get("Connection"); h != "close" {
		t.Errorf("request in flight: got Connection %q, want close", h)
	}
	if !busy.Closed() {
		t.Error("busy connection still open after its response")
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Serve returned %v, want nil", err)
		}
	case <-time.After(basehandlertest.Timeout):
		t.Fatal("Serve did not return")
	}
}

// TestShutdownTimeout checks that a request that will not finish is cut
// off after ShutdownTimeout, its context cancelled, and Serve returns nil.
func TestShutdownTimeout(t *testing.T) {
	entered := make(chan struct{})
	cancelled := make(chan bool, 1)
	s := funcServer(t, &basehandler.Server{ShutdownTimeout: 100 * time.Millisecond}, func(w *basehandler.Response, r *basehandler.Request) {
		close(entered)
		select {
		case <-r.Context().Done():
			cancelled <- true
		case <-time.After(basehandlertest.Timeout):
			cancelled <- false
		}
	})
	c := s.Dial(t)
	c.Write(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	<-entered
	if err := s.Close(); err != nil {
		t.Errorf("Serve returned %v, want nil", err)
	}
	if !<-cancelled {
		t.Error("the request's context was not cancelled")
	}
	if !c.Closed() {
		t.Error("connection still open after Serve returned")
	}
}

// TestShutdownStuckHandler checks that a handler heeding neither its
// context nor its connection cannot hold Serve forever: after a second
// ShutdownTimeout, Serve returns and says so in the log.
func TestShutdownStuckHandler(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	s := funcServer(t, &basehandler.Server{ShutdownTimeout: 50 * time.Millisecond}, func(w *basehandler.Response, r *basehandler.Request) {
		close(entered)
		<-release
	})
	c := s.Dial(t)
	c.Write(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	<-entered
	if err := s.Close(); err != nil {
		t.Errorf("Serve returned %v, want nil", err)
	}
	if log := s.Log.String(); !strings.Contains(log, "shutdown: a handler did not return") {
		t.Errorf("log %q does not say a handler was left behind", log)
	}
}

// TestRequestContext checks that Request.Context ends when the client
// closes the connection while the handler waits, and not before.
func TestRequestContext(t *testing.T) {
	type result struct {
		path      string
		cancelled bool
	}
	results := make(chan result, 10)
	s := funcServer(t, &basehandler.Server{}, func(w *basehandler.Response, r *basehandler.Request) {
		path, query, _ := strings.Cut(r.Path, "?")
		ctx := r.Context()
		switch path {
		case "/wait": // wait for the client to go away
			if query == "read" {
				io.ReadAll(r.Body)
			}
			select {
			case <-ctx.Done():
				results <- result{path, true}
			case <-time.After(basehandlertest.Timeout):
				results <- result{path, false}
			}
			return
		case "/check": // the client is still there, the body unread
			results <- result{path, ctx.Err() != nil}
			if query == "ignore" {
				w.SendResponse(http.StatusOK)
				w.SendHeader("Content-Length", "0")
				w.EndHeaders()
				return
			}
		}
		testHandler(w, r)
	})
	tests := []struct {
		name    string
		request string
	}{
		{"no body", "GET /wait HTTP/1.1\r\nHost: a\r\n\r\n"},
		{"body read", "POST /wait?read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"},
		{"chunked body read", "POST /wait?read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.Dial(t)
			c.Write(t, tt.request)
			c.Close()
			if r := <-results; !r.cancelled {
				t.Errorf("context not cancelled after the client closed")
			}
		})
	}
	t.Run("context asked, body not read, keep-alive", func(t *testing.T) {
		c := s.Dial(t)
		c.Write(t, "POST /check?ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
		if r := <-results; r.cancelled {
			t.Error("context cancelled while the client is there")
		}
		resp := c.ReadResponse(t, "POST")
		if resp.Status != 200 {
			t.Fatalf("first response: %v", resp)
		}
		c.Write(t, "GET /check HTTP/1.1\r\nHost: a\r\n\r\n")
		select {
		case <-results:
		case <-time.After(basehandlertest.Timeout):
			t.Fatalf("second request never reached the handler; log:\n%s", s.Log)
		}
		if resp := c.ReadResponse(t, "GET"); resp.Status != 200 || !strings.HasPrefix(resp.Body, "GET /check") {
			t.Fatalf("second request on the connection: got %v, want its echo", resp)
		}
		if log := s.Log.String(); strings.Contains(log, "Exception") {
			t.Errorf("log:\n%s", log)
		}
	})
	t.Run("pipelined request does not cancel", func(t *testing.T) {
		c := s.Dial(t)
		c.Write(t, "POST /check HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
		if r := <-results; r.cancelled {
			t.Error("context cancelled while the client is there")
		}
		if got := c.ReadAll(t); strings.Count(got, "HTTP/1.1 200 OK\r\n") != 2 {
			t.Errorf("got %q, want two responses", got)
		}
	})
}
