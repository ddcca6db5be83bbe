package basehandler

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"
)

// conn is one client connection: Python's BaseHTTPRequestHandler instance
// and its handle() loop. It lives as long as the TCP connection.
type conn struct {
	server *Server
	rwc    net.Conn
	remote string // RemoteAddr, "host:port"
	ip     string // the host part, for the log
	local  string
	tls    *tls.ConnectionState

	cr connReader
	br *bufio.Reader
	bw *bufio.Writer
	hr headReader

	mu    sync.Mutex // guards idle
	idle  bool       // waiting for a request; Shutdown may close it
	close bool       // the connection ends after the current response

	req          *Request  // the request being served
	body         *body     // its body, when it has one
	resp         *Response // its response
	continueSent bool
	watch        bool // the handler asked for Context(): watch for a close
	cancel       context.CancelFunc

	dateBuf [len(http.TimeFormat)]byte
	logBuf  []byte
}

func (s *Server) newConn(rwc net.Conn) *conn {
	c := &conn{server: s, rwc: rwc, remote: rwc.RemoteAddr().String(), local: rwc.LocalAddr().String()}
	c.ip = hostOf(c.remote)
	c.cr.c = c
	c.cr.cond = sync.NewCond(&c.cr.mu)
	c.br = bufio.NewReaderSize(&c.cr, 4096)
	c.bw = bufio.NewWriterSize(deadlineWriter{c}, 4096)
	c.hr.br = c.br
	return c
}

// serve runs the keep-alive loop: read a request, answer it, and go on
// while both sides want the connection open (RFC 9112 section 9.3).
func (c *conn) serve(ctx context.Context) {
	defer c.server.untrack(c)
	defer c.rwc.Close()
	defer func() {
		if v := recover(); v != nil {
			if c.cancel != nil {
				c.cancel() // the request's context, which nothing else ends
			}
			buf := make([]byte, 16<<10)
			buf = buf[:runtime.Stack(buf, false)]
			c.logf("Exception occurred during processing of request from %s: %v\n%s", c.remote, v, buf)
		}
	}()
	if tc, ok := c.rwc.(*tls.Conn); ok {
		if !c.handshake(tc) {
			return
		}
	}
	for n := 0; ; n++ {
		if !c.waitForRequest(n == 0) {
			return
		}
		c.setReadDeadline(c.server.headerTimeout())
		req, err := c.hr.readRequest(c.server.protocol())
		if err != nil {
			c.readFailed(req, err)
			return
		}
		c.serveRequest(ctx, req)
		if c.close || c.server.closing.Load() {
			return
		}
	}
}

// waitForRequest waits, marked idle, for the first byte of the next
// request. It reports false when the connection should end instead: the
// client closed it or stayed silent too long, or the server is shutting
// down.
func (c *conn) waitForRequest(first bool) bool {
	timeout := c.server.idleTimeout()
	if first {
		timeout = c.server.headerTimeout()
	}
	// The deadline comes before the idle mark: once idle, Shutdown may set
	// a deadline in the past (closeIfIdle), which must not be undone here.
	c.setReadDeadline(timeout)
	if !c.setIdle(true) {
		return false
	}
	_, err := c.br.Peek(1)
	return c.setIdle(false) && err == nil
}

// setIdle marks the connection idle or busy. It reports false when the
// server is shutting down, in which case the caller ends the connection.
func (c *conn) setIdle(idle bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idle = idle
	return !c.server.closing.Load()
}

// closeIfIdle wakes an idle connection's pending read so that it ends; it
// is how Shutdown closes keep-alive connections.
func (c *conn) closeIfIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idle {
		c.rwc.SetReadDeadline(aLongTimeAgo)
	}
}

var aLongTimeAgo = time.Unix(1, 0)

// readFailed answers a request head that could not be read: a
// *ProtocolError gets its error page; a timeout is logged, as Python logs
// "Request timed out"; a connection closed by the client ends quietly.
func (c *conn) readFailed(req *Request, err error) {
	var pe *ProtocolError
	switch {
	case errors.As(err, &pe):
		if req == nil {
			// Python's 414: the request line was never read, so the log
			// shows it as "".
			req = &Request{}
		}
		req.conn = c
		req.Body = noBody{}
		if req.Proto == "HTTP/0.9" && req.Method != http.MethodGet {
			// A malformed request line is not an HTTP/0.9 request: send a
			// status line, unlike Python, so the client can tell.
			req.Proto = ""
		}
		w := c.newResponse(req)
		w.SendErrorExplain(pe.Status, pe.Message, pe.Explain)
		w.finish()
		c.lingeringClose()
	case errors.Is(err, os.ErrDeadlineExceeded):
		if c.server.closing.Load() {
			return
		}
		c.logf("Request timed out: %v", err)
	}
}

// lingeringClose ends a connection whose client may still be sending: it
// sends FIN, then reads and drops what arrives for a moment. Closing with
// unread data would make the kernel answer with RST, and a client that
// receives RST may lose the error response it has not read yet (RFC 9112
// section 9.6).
func (c *conn) lingeringClose() {
	tc, ok := c.rwc.(*net.TCPConn)
	if !ok {
		return
	}
	tc.CloseWrite()
	tc.SetReadDeadline(time.Now().Add(lingerTimeout))
	io.CopyN(io.Discard, c.br, lingerMax)
}

const (
	lingerTimeout = 500 * time.Millisecond
	lingerMax     = 1 << 20
)

// serveRequest runs the handler for one request and settles the
// connection afterwards: the response is completed and flushed, and the
// rest of the body is read so the next request starts where it should.
func (c *conn) serveRequest(ctx context.Context, req *Request) {
	req.conn, req.RemoteAddr, req.LocalAddr, req.TLS = c, c.remote, c.local, c.tls
	c.req, c.body, c.continueSent, c.watch, c.close = req, nil, false, false, req.close
	c.cancel = nil
	req.ctx = ctx
	switch {
	case req.Chunked || req.ContentLength > 0:
		c.body = &body{c: c, br: c.br, chunked: req.Chunked, left: req.ContentLength}
		req.Body = c.body
	case req.Body == nil:
		req.Body = noBody{}
	}
	w := c.newResponse(req)
	c.resp = w
	c.server.handler().ServeRequest(w, req)
	c.cr.abortPendingRead()
	// The handler is done watching: reading the rest of the body below
	// must not start another background read, which would race with the
	// next request's.
	c.watch = false
	if c.cancel != nil {
		c.cancel()
	}
	w.finish()
	// The response has the last word, as Python's close_connection does: it
	// started from the request's decision, and a handler's "Connection:
	// keep-alive" or "close" changed it.
	c.close = w.close
	if c.body != nil && !c.close {
		// A client that waits for 100 Continue before sending its body
		// will never send it now: closing beats waiting for it.
		if req.expectContinue && !c.continueSent && !c.body.done() {
			c.close = true
		} else {
			c.close = !c.body.discard(maxDiscard)
		}
	}
	c.req, c.body, c.resp = nil, nil, nil
}

// maxDiscard is how much of an unread request body the server reads and
// drops to keep a connection alive; past it, closing is cheaper.
const maxDiscard = 256 << 10

// sendContinue sends "100 Continue" the first time the handler reads the
// body of a request that asked for it (RFC 9110 section 10.1.1). Sending it
// only then lets a handler refuse a body without the client sending it.
func (c *conn) sendContinue() {
	if c.req == nil || !c.req.expectContinue || c.continueSent {
		return
	}
	if c.resp != nil && c.resp.started {
		// The final response has begun, which answers the expectation
		// (RFC 9110 section 10.1.1); a 100 now would land inside its head.
		return
	}
	c.continueSent = true
	c.bw.WriteString(c.server.protocol())
	c.bw.WriteString(" 100 Continue\r\n\r\n")
	c.bw.Flush()
}

// watchClose is called by Request.Context: from then on the request's
// context ends when the client closes the connection.
func (c *conn) watchClose(r *Request) {
	if c.req != r || c.watch {
		return
	}
	c.watch = true
	ctx, cancel := context.WithCancel(r.ctx)
	r.ctx, c.cancel = ctx, cancel
	if c.body == nil || c.body.done() {
		c.bodyDone()
	}
}

// bodyDone is called when the request body has been read to its end. If
// the handler is watching for a close, a background read starts: it sees
// EOF when the client goes away. Only a read with nothing buffered can
// tell; a pipelined request already in the buffer means the client is
// still there.
func (c *conn) bodyDone() {
	if c.watch && c.cancel != nil && c.br.Buffered() == 0 {
		c.cr.startBackgroundRead(c.cancel)
	}
}

func (c *conn) setReadDeadline(d time.Duration) {
	if d > 0 {
		c.rwc.SetReadDeadline(time.Now().Add(d))
	} else {
		c.rwc.SetReadDeadline(time.Time{})
	}
}

func (c *conn) handshake(tc *tls.Conn) bool {
	c.setReadDeadline(c.server.headerTimeout())
	c.rwc.SetWriteDeadline(time.Now().Add(c.server.headerTimeout()))
	if err := tc.Handshake(); err != nil {
		var re tls.RecordHeaderError
		if errors.As(err, &re) && re.Conn != nil && looksLikeHTTP(re.RecordHeader[:]) {
			// Plain HTTP sent to the TLS port: answer in plain HTTP, as
			// net/http does, rather than with TLS garbage.
			io.WriteString(re.Conn, "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
			re.Conn.Close()
			c.logf("code 400, message plain HTTP request sent to the TLS port")
			return false
		}
		c.logf("TLS handshake error: %v", err)
		return false
	}
	st := tc.ConnectionState()
	c.tls = &st
	return true
}

func looksLikeHTTP(hdr []byte) bool {
	switch string(hdr) {
	case "GET /", "HEAD ", "POST ", "PUT /", "OPTIO", "DELET", "PATCH", "CONNE", "TRACE":
		return true
	}
	return false
}

// deadlineWriter writes to the connection, giving each write WriteTimeout
// to make progress: a client that stops reading cannot pin the server, and
// a slow but steady download is never cut off.
type deadlineWriter struct{ c *conn }

func (w deadlineWriter) Write(p []byte) (int, error) {
	if d := w.c.server.writeTimeout(); d > 0 {
		w.c.rwc.SetWriteDeadline(time.Now().Add(d))
	}
	return w.c.rwc.Write(p)
}

// connReader is the bufio.Reader's source. While a handler runs with the
// body fully read, it can keep one read pending in the background, which
// tells the handler (through its context) that the client has gone, as
// net/http's connReader does. A byte that read brings in belongs to the
// next request and is handed back first.
type connReader struct {
	c       *conn
	mu      sync.Mutex
	cond    *sync.Cond
	inRead  bool
	aborted bool
	hasByte bool
	byteBuf [1]byte
}

func (cr *connReader) Read(p []byte) (int, error) {
	cr.mu.Lock()
	if cr.inRead {
		cr.mu.Unlock()
		panic("basehandler: concurrent read on a connection")
	}
	if cr.hasByte {
		if len(p) == 0 {
			cr.mu.Unlock()
			return 0, nil
		}
		p[0], cr.hasByte = cr.byteBuf[0], false
		cr.mu.Unlock()
		return 1, nil
	}
	cr.inRead = true
	cr.mu.Unlock()
	n, err := cr.c.rwc.Read(p)
	cr.mu.Lock()
	cr.inRead = false
	cr.mu.Unlock()
	cr.cond.Broadcast()
	return n, err
}

func (cr *connReader) startBackgroundRead(cancel context.CancelFunc) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if cr.inRead || cr.hasByte {
		return
	}
	cr.inRead = true
	cr.c.rwc.SetReadDeadline(time.Time{})
	go cr.backgroundRead(cancel)
}

func (cr *connReader) backgroundRead(cancel context.CancelFunc) {
	n, err := cr.c.rwc.Read(cr.byteBuf[:])
	cr.mu.Lock()
	if n == 1 {
		cr.hasByte = true
	}
	if err != nil && !(cr.aborted && errors.Is(err, os.ErrDeadlineExceeded)) {
		cancel() // the client closed the connection, or it broke
	}
	cr.aborted, cr.inRead = false, false
	cr.mu.Unlock()
	cr.cond.Broadcast()
}

// abortPendingRead stops a background read and waits for it to end.
func (cr *connReader) abortPendingRead() {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if !cr.inRead {
		return
	}
	cr.aborted = true
	cr.c.rwc.SetReadDeadline(aLongTimeAgo)
	for cr.inRead {
		cr.cond.Wait()
	}
	cr.c.rwc.SetReadDeadline(time.Time{})
}
