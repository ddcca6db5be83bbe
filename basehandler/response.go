package basehandler

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	errpage "github.com/httpserve/httpserve/errors"
)

// Response writes the answer to one request: Python's send_response,
// send_header, end_headers, send_error and wfile, on one value.
//
// The calls come in Python's order: [Response.SendResponse] (status line,
// Server and Date), any number of [Response.SendHeader], then
// [Response.EndHeaders], then the body through [Response.Write] or
// [io.Copy]. Response takes care of the rest of the protocol in one place:
// HEAD and bodiless statuses never send a body however much is written;
// a body without Content-Length is chunked for an HTTP/1.1 client that
// keeps the connection, or delimited by closing the connection otherwise;
// an HTTP/0.9 request gets the body alone.
type Response struct {
	c   *conn
	req *Request

	status        int
	started       bool     // a status line has been sent
	headersDone   bool     // EndHeaders has been called
	close         bool     // Python's close_connection
	noBody        bool     // HEAD, 1xx, 204 or 304: the body is dropped
	chunked       bool     // we frame the body with the chunked coding
	contentLength int64    // from the Content-Length sent, or -1
	selfFramed    bool     // Transfer-Encoding, or a Content-Length not to trust, came from the handler
	hasConnection bool     // the handler sent a Connection field
	raw           bool     // the handler writes the whole response itself
	aborted       bool     // the body is known to be incomplete
	extra         []Header // AddHeader's fields, sent by EndHeaders
	written       int64    // body bytes written
	err           error    // the first write error; the connection is done
}

func (c *conn) newResponse(req *Request) *Response {
	return &Response{c: c, req: req, close: req.close, contentLength: -1}
}

// http09 reports whether the response goes to an HTTP/0.9 request, which
// gets no status line and no header fields.
func (w *Response) http09() bool { return w.req.Proto == "HTTP/0.9" }

// SendResponse starts the response with code and its standard reason
// phrase: it logs the request, then sends the status line and the Server
// and Date fields, as Python's send_response does.
func (w *Response) SendResponse(code int) {
	w.SendResponseMessage(code, "")
}

// SendResponseMessage is SendResponse with the reason phrase message;
// "" means the standard phrase.
func (w *Response) SendResponseMessage(code int, message string) {
	if w.headersDone && w.status >= 200 {
		// A second response: its status line is refused below, and its
		// Server and Date would land in the body (see SendHeader).
		w.SendResponseOnly(code, message)
		return
	}
	w.c.logRequest(w.req, code)
	w.SendResponseOnly(code, message)
	w.SendHeader("Server", w.c.server.version())
	date := w.c.server.now().UTC().AppendFormat(w.c.dateBuf[:0], http.TimeFormat)
	w.sendHeaderBytes("Date", date)
}

// SendResponseOnly sends the status line alone (Python's
// send_response_only): nothing is logged and no fields are added.
func (w *Response) SendResponseOnly(code int, message string) {
	if w.headersDone && w.status >= 200 {
		if w.err == nil {
			w.err = ErrHeadersSent
		}
		return
	}
	w.status, w.started, w.headersDone = code, true, false
	w.noBody = w.req.Method == http.MethodHead || code < 200 || code == http.StatusNoContent || code == http.StatusNotModified
	if w.http09() {
		return
	}
	if message == "" {
		message = errpage.Phrase(code)
	}
	bw := w.c.bw
	bw.WriteString(w.c.server.protocol())
	bw.WriteByte(' ')
	// Appending to AvailableBuffer writes in place: a local array would
	// escape through bufio.Writer.Write and cost an allocation.
	bw.Write(strconv.AppendInt(bw.AvailableBuffer(), int64(code), 10))
	bw.WriteByte(' ')
	writeLatin1(bw, message)
	bw.WriteString("\r\n")
}

// writeLatin1 writes s as ISO-8859-1, the charset of the status line, as
// Python encodes it; control characters become spaces, so a reason phrase
// can never end the line early (RFC 9112 section 4).
func writeLatin1(bw io.ByteWriter, s string) {
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r < 0x20 || r == 0x7f:
			r = ' '
		case r > 0xff:
			r = '?'
		}
		bw.WriteByte(byte(r))
	}
}

// SendHeader sends one header field (Python's send_header). A field the
// server acts on is noted: Content-Length frames the body; Connection:
// close or keep-alive decides the connection's fate, as in Python.
// CR, LF and NUL in a name or value become spaces: a handler can never
// split the response.
//
// A field sent before SendResponse or after EndHeaders is dropped, as
// Python's end_headers never sends a field buffered after it: written
// then, it would land before the status line or inside the body, outside
// the body's framing (RFC 9112 section 6.3).
func (w *Response) SendHeader(name, value string) {
	if !w.started || w.headersDone {
		return
	}
	switch {
	case strings.EqualFold(name, "Content-Length"):
		n, ok := ParseContentLength(strings.TrimSpace(value))
		if !ok || (w.contentLength >= 0 && n != w.contentLength) {
			// The client cannot know where this body ends either: end it
			// by closing, and add no framing of our own.
			w.selfFramed = true
		} else {
			w.contentLength = n
		}
	case strings.EqualFold(name, "Transfer-Encoding"):
		w.selfFramed = true
	case strings.EqualFold(name, "Connection"):
		w.hasConnection = true
		if strings.EqualFold(value, "close") {
			w.close = true
		} else if strings.EqualFold(value, "keep-alive") {
			w.close = false
		}
	}
	if w.http09() {
		return
	}
	bw := w.c.bw
	writeFieldPart(bw, name)
	bw.WriteString(": ")
	writeFieldPart(bw, value)
	bw.WriteString("\r\n")
}

func (w *Response) sendHeaderBytes(name string, value []byte) {
	if w.http09() || !w.started || w.headersDone {
		return
	}
	bw := w.c.bw
	bw.WriteString(name)
	bw.WriteString(": ")
	bw.Write(value)
	bw.WriteString("\r\n")
}

func writeFieldPart(bw interface {
	io.ByteWriter
	io.StringWriter
}, s string) {
	if !strings.ContainsAny(s, "\r\n\x00") {
		bw.WriteString(s)
		return
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' || c == 0 {
			c = ' '
		}
		bw.WriteByte(c)
	}
}

// EndHeaders ends the header section (Python's end_headers). Before the
// empty line it adds what the framing needs: Transfer-Encoding: chunked
// when the body has no Content-Length and the connection stays open, or
// Connection: close when only closing can end the body. The head goes out
// with the first body bytes, or at [Response.Flush].
func (w *Response) EndHeaders() {
	if !w.started {
		w.SendResponse(http.StatusOK)
	}
	if w.headersDone {
		return
	}
	for _, h := range w.c.server.ExtraHeaders {
		w.SendHeader(h.Name, h.Value)
	}
	for _, h := range w.extra {
		w.SendHeader(h.Name, h.Value)
	}
	w.headersDone = true
	if w.http09() {
		w.close = true
		return
	}
	bw := w.c.bw
	if w.status < 200 {
		// An interim response (100 Continue, 103 Early Hints) is only a
		// head; the final response follows.
		bw.WriteString("\r\n")
		w.err = bw.Flush()
		w.started = false
		return
	}
	// What the client was promised by the request: only then does closing
	// need saying.
	persistentAsked := !w.req.close
	if !w.noBody && w.contentLength < 0 && !w.selfFramed {
		// RFC 9112 section 6.1: Transfer-Encoding only in a response whose
		// status line and request both say HTTP/1.1. Under Protocol
		// HTTP/1.0 a handler's "Connection: keep-alive" cannot change that.
		if !w.close && w.req.ProtoAtLeast(1, 1) && w.c.server.protocol() >= "HTTP/1.1" {
			bw.WriteString("Transfer-Encoding: chunked\r\n")
			w.chunked = true
		} else {
			w.close = true
		}
	}
	if w.selfFramed && !w.noBody {
		w.close = true // the handler frames the body; we cannot check it
	}
	if w.c.server.closing.Load() {
		w.close = true
	}
	if c := w.c; c.req == w.req && w.req.expectContinue && !c.continueSent && c.body != nil && !c.body.done() {
		// The client waits for 100 Continue, which no longer comes: the
		// connection closes after this response (serveRequest), and RFC
		// 9110 section 10.1.1 asks the server to say so.
		w.close = true
	}
	switch {
	case w.hasConnection:
	case w.close && persistentAsked:
		bw.WriteString("Connection: close\r\n")
	case !w.close && !w.req.ProtoAtLeast(1, 1):
		// An HTTP/1.0 client that asked to keep the connection must be
		// told it was kept (RFC 9112 appendix C.2.2).
		bw.WriteString("Connection: keep-alive\r\n")
	}
	bw.WriteString("\r\n")
}

// FlushHeaders sends what has been written so far (Python's
// flush_headers, and wfile.flush).
func (w *Response) FlushHeaders() error { return w.Flush() }

// Flush sends buffered response bytes to the client now.
func (w *Response) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.c.bw.Flush()
	return w.err
}

// Status returns the status code sent, or 0.
func (w *Response) Status() int { return w.status }

// HeadersSent reports whether the response has started: after it has, an
// error can no longer become an error page.
func (w *Response) HeadersSent() bool { return w.started }

// Write writes body bytes. It ends the head first if the handler has not.
// For HEAD and bodiless statuses it reports success and sends nothing. It
// never sends more than the Content-Length given: the rest is refused with
// ErrBodyLength.
func (w *Response) Write(p []byte) (int, error) {
	if !w.headersDone {
		w.EndHeaders()
	}
	if w.err != nil {
		return 0, w.err
	}
	if w.noBody || len(p) == 0 {
		return len(p), nil
	}
	var tooLong bool
	if w.contentLength >= 0 && w.written+int64(len(p)) > w.contentLength {
		p, tooLong = p[:w.contentLength-w.written], true
	}
	bw := w.c.bw
	if w.chunked {
		bw.Write(append(strconv.AppendInt(bw.AvailableBuffer(), int64(len(p)), 16), '\r', '\n'))
	}
	n, err := bw.Write(p)
	if w.chunked && err == nil {
		_, err = bw.WriteString("\r\n")
	}
	w.written += int64(n)
	if err != nil {
		w.err = err
		return n, err
	}
	if tooLong {
		return n, ErrBodyLength
	}
	return n, nil
}

// WriteString is Write for a string.
func (w *Response) WriteString(s string) (int, error) {
	return w.Write([]byte(s))
}

// ReadFrom copies the body from src. When the connection is a plain TCP
// socket and the body is not chunked, the kernel does the copying
// (sendfile(2) for an *os.File), in pieces so that each gets WriteTimeout
// to make progress. For HEAD and bodiless statuses src is not read at all.
func (w *Response) ReadFrom(src io.Reader) (int64, error) {
	if !w.headersDone {
		w.EndHeaders()
	}
	if w.err != nil {
		return 0, w.err
	}
	if w.noBody {
		return 0, nil
	}
	tcp, ok := w.c.rwc.(*net.TCPConn)
	if !ok || w.chunked {
		buf := copyBufPool.Get().(*[]byte)
		defer copyBufPool.Put(buf)
		return io.CopyBuffer(writerOnly{w}, src, *buf)
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	// The kernel's sendfile is used when src is an *os.File or an
	// *io.LimitedReader around one, and the loop below adds a limit of its
	// own: a caller's limit (a part of a file, as in multipart/byteranges)
	// is taken off here and applied to the inner one.
	outer, _ := src.(*io.LimitedReader)
	if outer != nil {
		src = outer.R
	}
	var total int64
	for {
		limit := int64(sendfileChunk)
		if w.contentLength >= 0 {
			limit = min(limit, w.contentLength-w.written)
		}
		if outer != nil {
			limit = min(limit, outer.N)
		}
		if limit <= 0 {
			return total, nil
		}
		if d := w.c.server.writeTimeout(); d > 0 {
			w.c.rwc.SetWriteDeadline(time.Now().Add(d))
		}
		n, err := tcp.ReadFrom(&io.LimitedReader{R: src, N: limit})
		total += n
		w.written += n
		if outer != nil {
			outer.N -= n
		}
		if err != nil {
			w.err = err
			return total, err
		}
		if n < limit {
			return total, nil
		}
	}
}

// sendfileChunk is how much one sendfile call may move before the write
// deadline is renewed.
const sendfileChunk = 4 << 20

var copyBufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// writerOnly hides ReadFrom, so io.CopyBuffer uses Write.
type writerOnly struct{ io.Writer }

// AddHeader adds a field to this response, error pages included: it is
// sent by EndHeaders, after the handler's own fields. Use it for a field
// every answer to a request must carry (CORS's Access-Control-Allow-Origin).
func (w *Response) AddHeader(name, value string) {
	w.extra = append(w.extra, Header{name, value})
}

// CloseConnection makes the connection close after this response, as
// sending "Connection: close" does in Python, and says so to the client
// if the head has not ended yet.
func (w *Response) CloseConnection() {
	w.close = true
}

// Abort marks the body as incomplete, as when its source failed midway:
// the connection closes without a last chunk, so the client cannot take
// a truncated body for the whole one.
func (w *Response) Abort() {
	w.aborted, w.close = true, true
}

// LogRequest logs the request line with code, as SendResponse does: for a
// response a handler writes itself through Raw.
func (w *Response) LogRequest(code int) {
	w.c.logRequest(w.req, code)
}

// Raw hands the handler the connection's writer for a response it writes
// whole, status line included (a CGI script named nph-*). Nothing is added
// or framed, and the connection closes afterwards.
func (w *Response) Raw() io.Writer {
	w.raw, w.started, w.headersDone, w.close = true, true, true, true
	return rawWriter{w}
}

type rawWriter struct{ w *Response }

func (r rawWriter) Write(p []byte) (int, error) {
	if r.w.req.Method == http.MethodHead {
		return len(p), nil
	}
	n, err := r.w.c.bw.Write(p)
	r.w.written += int64(n)
	return n, err
}

// SendError answers with an error page (Python's send_error): the status
// line with message as its reason phrase, Connection: close, and the page
// unless the status or the method forbids a body. message "" means the
// standard phrase.
func (w *Response) SendError(code int, message string) {
	w.SendErrorExplain(code, message, "")
}

// SendErrorExplain is SendError with the page's longer explanation;
// "" means the standard one.
func (w *Response) SendErrorExplain(code int, message, explain string) {
	short, long := errpage.Phrase(code), errpage.Explain(code)
	if short == "" {
		short, long = "???", "???"
	}
	if message == "" {
		message = short
	}
	if explain == "" {
		explain = long
	}
	w.LogError("code %d, message %s", code, message)
	w.SendResponseMessage(code, message)
	w.SendHeader("Connection", "close")
	var page []byte
	if code >= 200 && code != http.StatusNoContent && code != http.StatusResetContent && code != http.StatusNotModified {
		page = errpage.AppendPage(nil, code, message, explain)
		w.SendHeader("Content-Type", errpage.ContentType)
		w.SendHeader("Content-Length", strconv.Itoa(len(page)))
	}
	w.EndHeaders()
	if len(page) > 0 {
		w.Write(page)
	}
}

// finish completes the response after the handler returns: it ends the
// head if need be, closes a chunked body, and flushes. A body shorter than
// its Content-Length leaves the client waiting for bytes that will never
// come, so the connection closes.
func (w *Response) finish() {
	if !w.started {
		// The handler sent nothing at all; there is no way to tell the
		// client where this response ends except closing.
		w.close = true
		return
	}
	if !w.headersDone {
		w.EndHeaders()
	}
	if w.aborted {
		// No last-chunk, and the connection closes: the client can tell
		// the body is incomplete (RFC 9112 section 8).
		w.close = true
	} else if w.chunked && w.err == nil {
		_, w.err = w.c.bw.WriteString("0\r\n\r\n")
	}
	if !w.noBody && w.contentLength >= 0 && w.written < w.contentLength {
		w.close = true
	}
	if w.Flush() != nil {
		w.close = true
	}
}
