package cgihandler

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/httpserve/httpserve/basehandler"
)

// Running a script (RFC 3875 sections 4.2, 7 and 9), in this order:
//
//  1. The request body is made ready for the script's stdin: a pipe fed
//     as the script reads, for a body of known length; a temporary file
//     for a chunked one, whose length CONTENT_LENGTH must state (section
//     4.2), so it is de-chunked there first.
//  2. A slot is taken (MaxScripts), waiting at most QueueTimeout.
//  3. The script is started directly (never through a shell) in its own
//     process group, in its directory, as the configured user
//     (process.go).
//  4. Its stderr goes to the log, line by line; its stdout is parsed and
//     streamed to the client (response.go).
//  5. A client that goes away, a write that fails or the Timeout ends the
//     script: SIGTERM to its process group, SIGKILL killGrace later.
//  6. The script is reaped and every descriptor closed before
//     ServeRequest returns: no zombie and no descriptor outlives a request.

// Buffers for the script's output and for copying, reused across
// requests: each is 32 KiB, and a busy server runs many scripts.
var (
	outReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, outBufSize) }}
	copyBufs   = sync.Pool{New: func() any { b := make([]byte, outBufSize); return &b }}
)

const (
	// killGrace is how long a script has between SIGTERM and SIGKILL.
	killGrace = 2 * time.Second
	// stderrGrace is how long stderr may stay silent, once the script
	// has exited, before it is closed.
	stderrGrace = 200 * time.Millisecond
)

// Reasons a script is stopped, as context causes.
var (
	errTimeout   = errors.New("timed out")
	errMalformed = errors.New("malformed header block")
)

// exchange is one script run for one request.
type exchange struct {
	w *basehandler.Response
	r *basehandler.Request
	c *config
	s *script

	reqCtx context.Context         // the request's: ends when the client goes
	ctx    context.Context         // the script's: ends on timeout too
	cancel context.CancelCauseFunc // stops the script, giving a reason

	// logMu serialises everything that writes the log. The stderr
	// goroutine logs while the handler goroutine answers, and Response's
	// logging methods (SendResponse logs the request) share one buffer.
	logMu sync.Mutex

	bodyStarted bool         // the body has been asked for (and 100 Continue sent)
	bodyRefused bool         // the body was too large; the connection closes unread
	stderrLines atomic.Int64 // lines logged from stderr so far
}

func (x *exchange) logf(format string, args ...any) {
	x.logMu.Lock()
	defer x.logMu.Unlock()
	x.w.LogMessage(format, args...)
}

func (x *exchange) sendError(code int, msg string) {
	x.logMu.Lock()
	defer x.logMu.Unlock()
	x.w.SendError(code, msg)
}

func (x *exchange) sendResponse(code int, msg string) {
	x.logMu.Lock()
	defer x.logMu.Unlock()
	x.w.SendResponseMessage(code, msg)
}

// run runs the script s for the request and answers it, unless the
// script asks for a local redirect, whose path it returns with nothing
// sent, once the script is gone and its slot free.
func (h *Handler) run(w *basehandler.Response, r *basehandler.Request, c *config, s *script) (redirect string) {
	// Context must be asked for before anything reads the body on another
	// goroutine: from then on, the end of the body starts the watch for a
	// closed connection.
	x := &exchange{w: w, r: r, c: c, s: s, reqCtx: r.Context()}
	defer x.settleBody()

	stdin, bodyPipe, contentLength, ok := x.openBody()
	if !ok {
		return ""
	}
	if stdin != nil {
		defer stdin.Close()
	}
	if bodyPipe != nil {
		defer bodyPipe.Close()
	}

	release, err := x.acquire()
	if err != nil {
		if x.reqCtx.Err() == nil {
			x.logf("cgi: %s: %d scripts already running; none ended within %v", s.name, cap(c.slots), c.queueTimeout)
			x.sendError(http.StatusServiceUnavailable, "Too many CGI scripts running")
		}
		return ""
	}
	defer release()

	ctx, cancel := context.WithCancelCause(x.reqCtx)
	defer cancel(nil)
	x.ctx, x.cancel = ctx, cancel
	if c.timeout > 0 {
		var stop context.CancelFunc
		x.ctx, stop = context.WithTimeoutCause(ctx, c.timeout, errTimeout)
		defer stop()
	}

	if bodyPipe != nil {
		// Send "100 Continue" now, if the client waits for it: the first
		// read of the body does that, and it must not happen on the
		// stdin goroutine while this one writes the response.
		r.Body.Read(nil)
		x.bodyStarted = true
	}
	p, outR, errR, err := x.start(stdin, contentLength)
	if stdin != nil {
		stdin.Close() // the script has its own descriptor now
	}
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			x.logf("cgi: %s: %v", s.name, err)
			x.sendError(http.StatusForbidden, "CGI script is not executable ("+pyRepr(s.name)+")")
			return ""
		}
		x.logf("cgi: %s: %v", s.name, err)
		x.sendError(http.StatusInternalServerError, "")
		return ""
	}
	defer outR.Close()
	defer errR.Close()

	var stdinDone chan struct{}
	if bodyPipe != nil {
		stdinDone = make(chan struct{})
		go func() {
			defer close(stdinDone)
			x.feedBody(bodyPipe)
		}()
	}
	stderrDone := make(chan struct{})
	go func() {
		defer close(stderrDone)
		x.logStderr(errR)
	}()

	out := outReaders.Get().(*bufio.Reader)
	out.Reset(outR)
	defer func() { out.Reset(nil); outReaders.Put(out) }()
	if s.nph {
		x.serveNPH(out)
	} else {
		redirect = x.serveParsed(out)
	}
	// Whatever the answer, the output is read to its end, so that the
	// script is never blocked writing to a pipe nobody reads.
	io.Copy(io.Discard, out)
	state := p.wait()
	// Once the script has exited, a process it left behind may still hold
	// its stderr (a daemon started with "&"); the response must not wait
	// for that, and nothing may be logged once the handler has returned.
	x.awaitStderr(errR, stderrDone)
	x.logExit(p, state)
	if bodyPipe != nil {
		bodyPipe.Close() // unblocks a write to a pipe a grandchild holds
		<-stdinDone
	}
	return redirect
}

// maxDrain is how much of a body the script left unread is read and
// dropped before returning, so that the connection can go on; past it the
// connection is closed instead (basehandler's own limit).
const maxDrain = 256 << 10

// settleBody leaves the request body read to its end, or the connection
// marked for closing, before the handler returns.
//
// It works around basehandler: once Context has been called, the end of
// the body starts a background read of the connection; if the server
// itself reads the end of the body after the handler has returned (to
// discard it), that read is started too late and collides with the read
// of the next request ("concurrent read on a connection"). Reading the
// rest here, while the handler runs, or closing the connection, avoids
// it.
func (x *exchange) settleBody() {
	if x.r.ContentLength == 0 && !x.r.Chunked || x.bodyRefused {
		return
	}
	if v := x.r.Header.Get("Expect"); strings.EqualFold(v, "100-continue") && !x.bodyStarted {
		// The client waits for "100 Continue" before sending the body;
		// closing beats inviting a body nobody wants.
		x.w.CloseConnection()
		return
	}
	if _, err := io.CopyN(io.Discard, x.r.Body, maxDrain+1); err != io.EOF {
		x.w.CloseConnection()
	}
}

// openBody prepares the request body for the script's stdin. It returns
// the script's end (nil for no body: /dev/null), the server's end of a
// pipe to feed as the script reads (nil when the body is in a file), and
// CONTENT_LENGTH ("" when there is no body). It answers the request
// itself, and reports false, when the body cannot be read.
func (x *exchange) openBody() (stdin, pipe *os.File, contentLength string, ok bool) {
	r := x.r
	switch {
	case r.Chunked:
		x.bodyStarted = true
		f, n, err := spool(r.Body, x.c.maxChunked)
		if err != nil {
			var pe *basehandler.ProtocolError
			if errors.Is(err, errBodyTooLarge) {
				// The rest of the body is not read: the connection cannot
				// go on.
				x.w.CloseConnection()
				x.bodyRefused = true
				x.sendError(http.StatusRequestEntityTooLarge, "")
			} else if errors.As(err, &pe) {
				x.sendError(pe.Status, pe.Message)
			} else {
				x.logf("cgi: %s: reading the request body: %v", x.s.name, err)
			}
			return nil, nil, "", false
		}
		return f, nil, strconv.FormatInt(n, 10), true
	case r.ContentLength > 0:
		pr, pw, err := os.Pipe()
		if err != nil {
			x.logf("cgi: %s: %v", x.s.name, err)
			x.sendError(http.StatusInternalServerError, "")
			return nil, nil, "", false
		}
		return pr, pw, strconv.FormatInt(r.ContentLength, 10), true
	}
	if _, ok := r.Header["Content-Length"]; ok {
		return nil, nil, "0", true
	}
	return nil, nil, "", true
}

// errBodyTooLarge is spool's refusal of a body longer than its limit.
var errBodyTooLarge = errors.New("chunked request body too large")

// spool copies a body of unknown length into an unlinked temporary file
// and rewinds it. A body longer than limit (0: no limit) is refused with
// errBodyTooLarge: without a bound, clients could fill the disk.
func spool(body io.Reader, limit int64) (*os.File, int64, error) {
	if limit > 0 {
		body = io.LimitReader(body, limit+1)
	}
	f, err := os.CreateTemp("", "httpserve-cgi-body-*")
	if err != nil {
		return nil, 0, err
	}
	os.Remove(f.Name())
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	n, err := io.CopyBuffer(writerOnly{f}, body, *buf)
	if err == nil && limit > 0 && n > limit {
		err = errBodyTooLarge
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, n, nil
}

// writerOnly hides a writer's ReadFrom, so that io.Copy reads through a
// plain buffer (and the Reader's own errors stay distinguishable).
type writerOnly struct{ io.Writer }

// feedBody copies the request body into the script's stdin, exactly
// Content-Length bytes (the body reader stops there), as the script reads
// them. A script that stops reading ends the copy; the rest of the body
// is left for the server to discard. A body that cannot be read (the
// client went away mid-upload) stops the script, which would otherwise
// act on a truncated request.
func (x *exchange) feedBody(pipe *os.File) {
	defer pipe.Close()
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	for {
		n, err := x.r.Body.Read(*buf)
		if n > 0 {
			if _, werr := pipe.Write((*buf)[:n]); werr != nil {
				return // the script closed its stdin or exited
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			x.cancel(fmt.Errorf("reading the request body: %w", err))
			return
		}
	}
}

// acquire takes a script slot, waiting at most queueTimeout.
func (x *exchange) acquire() (release func(), err error) {
	slots := x.c.slots
	if slots == nil {
		return func() {}, nil
	}
	release = func() { <-slots }
	select {
	case slots <- struct{}{}:
		return release, nil
	default:
	}
	if x.c.queueTimeout <= 0 {
		return nil, errBusy
	}
	t := time.NewTimer(x.c.queueTimeout)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, errBusy
	case <-x.reqCtx.Done():
		return nil, x.reqCtx.Err()
	}
}

var errBusy = errors.New("all script slots are taken")

// trimEOL removes a trailing LF or CRLF.
func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}
