package basehandler

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Handler answers requests: Python's do_METHOD methods, dispatched by the
// handler itself, usually with a switch on r.Method whose default is
//
//	w.SendError(http.StatusNotImplemented, "Unsupported method ('"+r.Method+"')")
//
// A Handler is shared by every connection, so it holds configuration only;
// everything about one request travels in w and r.
type Handler interface {
	ServeRequest(w *Response, r *Request)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(w *Response, r *Request)

// ServeRequest calls f(w, r).
func (f HandlerFunc) ServeRequest(w *Response, r *Request) { f(w, r) }

// Header is one header field, for [Server.ExtraHeaders].
type Header struct{ Name, Value string }

// Server accepts connections and serves each in its own goroutine:
// Python's ThreadingHTTPServer. The zero value of every field but Handler
// is a sensible default.
type Server struct {
	Handler Handler

	// Protocol is Python's protocol_version: "HTTP/1.0" (the default)
	// closes the connection after every response; "HTTP/1.1" keeps it
	// open for clients that allow it.
	Protocol string

	// Version is the Server field's value (Python's version_string()).
	Version string

	// Log receives the log lines; nil means standard error.
	Log io.Writer

	// Now returns the current time, for the Date field and the log. Tests
	// set it to get stable output; nil means time.Now.
	Now func() time.Time

	// ExtraHeaders are sent with every response, before the empty line.
	ExtraHeaders []Header

	// HeaderTimeout bounds the wait for a new connection's first request
	// and the reading of every request head (default 30s): a slow client
	// cannot hold a connection by trickling a head.
	HeaderTimeout time.Duration
	// IdleTimeout bounds the wait for the next request on a kept-alive
	// connection (default 120s).
	IdleTimeout time.Duration
	// ReadTimeout bounds each read of a request body (default 60s), and
	// the discarding of what a handler left unread of one.
	ReadTimeout time.Duration
	// WriteTimeout bounds each write to the client (default 60s): a client
	// that stops reading is dropped; one that reads slowly is not.
	WriteTimeout time.Duration
	// ShutdownTimeout is how long requests in flight may take to finish
	// once Serve's context ends (default 5s). Then their contexts are
	// cancelled and their connections closed; a handler that still has
	// not returned after another ShutdownTimeout is left behind.
	ShutdownTimeout time.Duration

	closing atomic.Bool
	mu      sync.Mutex
	conns   map[*conn]struct{}
	wg      sync.WaitGroup
	logMu   sync.Mutex
}

func (s *Server) handler() Handler { return s.Handler }

func (s *Server) protocol() string {
	if s.Protocol == "" {
		return "HTTP/1.0"
	}
	return s.Protocol
}

func (s *Server) version() string {
	if s.Version == "" {
		return "httpserve"
	}
	return s.Version
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func (s *Server) headerTimeout() time.Duration { return orDefault(s.HeaderTimeout, 30*time.Second) }
func (s *Server) idleTimeout() time.Duration   { return orDefault(s.IdleTimeout, 120*time.Second) }
func (s *Server) readTimeout() time.Duration   { return orDefault(s.ReadTimeout, 60*time.Second) }
func (s *Server) writeTimeout() time.Duration  { return orDefault(s.WriteTimeout, 60*time.Second) }

func (s *Server) writeLog(b []byte) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.Log == nil {
		os.Stderr.Write(b)
		return
	}
	s.Log.Write(b)
}

// Listen opens a TCP listener on address ("host:port"). An empty host,
// "::" or "0.0.0.0" listens on every interface, IPv4 and IPv6 alike (a
// dual-stack socket, as Python's DualStackServer). The accept backlog is
// the kernel's maximum (net.core.somaxconn), so a burst of thousands of
// connections waits to be accepted instead of being refused (Python's
// backlog is 5).
func Listen(address string) (net.Listener, error) {
	return net.Listen("tcp", address)
}

// Serve accepts connections on ln until ctx ends, then shuts down
// gracefully: it stops accepting, closes idle keep-alive connections, lets
// requests in flight finish within ShutdownTimeout, and closes what is left.
// It returns nil after a shutdown, or the error that stopped accepting.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	connCtx, cancelConns := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelConns()
	var delay time.Duration
	for {
		rwc, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				s.shutdown(cancelConns)
				return nil
			}
			if isTemporary(err) {
				// Out of file descriptors, say: wait and retry rather than
				// give up serving everyone.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.writeLog([]byte("accept error: " + err.Error() + "; retrying\n"))
				time.Sleep(delay)
				continue
			}
			s.shutdown(cancelConns)
			return err
		}
		delay = 0
		c := s.newConn(rwc)
		s.track(c)
		go c.serve(connCtx)
	}
}

func isTemporary(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.ENOBUFS)
}

func (s *Server) track(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = make(map[*conn]struct{})
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	s.wg.Done()
}

// shutdown closes idle connections at once and gives busy ones
// ShutdownTimeout to finish; then it cancels their requests' contexts and
// closes them.
func (s *Server) shutdown(cancelConns context.CancelFunc) {
	s.closing.Store(true)
	s.mu.Lock()
	for c := range s.conns {
		c.closeIfIdle()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(orDefault(s.ShutdownTimeout, 5*time.Second)):
	}
	cancelConns()
	s.mu.Lock()
	for c := range s.conns {
		c.rwc.Close()
	}
	s.mu.Unlock()
	// A handler that heeds neither its context nor its connection would
	// hold Serve forever; give it one more ShutdownTimeout, then leave it.
	select {
	case <-done:
	case <-time.After(orDefault(s.ShutdownTimeout, 5*time.Second)):
		s.writeLog([]byte("shutdown: a handler did not return; exiting without it\n"))
	}
}
