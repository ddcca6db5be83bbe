package basehandler

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// The log follows Python's http.server to the byte, so that scripts that
// read it keep working:
//
//	127.0.0.1 - - [21/Nov/2026 16:19:40] "GET / HTTP/1.1" 200 -
//	127.0.0.1 - - [21/Nov/2026 16:19:40] code 404, message File not found
//
// The address is the client's IP, the time is local, and the size is
// always "-" because the line is written when the status is sent. Control
// characters (C0, DEL and C1) are escaped as \xHH and a backslash as \\, so
// a request cannot forge log lines. Request bytes are read as ISO-8859-1,
// as Python decodes them.

// logRequest logs the request line and status (Python's log_request),
// without allocating: the line is built in the connection's buffer.
func (c *conn) logRequest(r *Request, code int) {
	b := c.logPrefix()
	b = append(b, '"')
	b = appendEscaped(b, r.RequestLine, true)
	b = append(b, `" `...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, " -\n"...)
	c.writeLog(b)
}

// LogMessage logs a line in Python's format (log_message).
func (w *Response) LogMessage(format string, args ...any) {
	w.c.logf(format, args...)
}

// LogError logs an error line (log_error). Like Python, it goes to the
// same log as everything else.
func (w *Response) LogError(format string, args ...any) {
	w.c.logf(format, args...)
}

// logf may be called from any goroutine (a CGI script's stderr is logged
// as it comes), so it builds its line in a buffer of its own.
func (c *conn) logf(format string, args ...any) {
	b := c.appendLogPrefix(make([]byte, 0, 128))
	b = appendEscaped(b, fmt.Sprintf(format, args...), false)
	c.server.writeLog(append(b, '\n'))
}

// logPrefix starts a line in the connection's buffer: the address and
// Python's log_date_time_string, "21/Nov/2026 16:19:40" in local time.
func (c *conn) logPrefix() []byte {
	return c.appendLogPrefix(c.logBuf[:0])
}

func (c *conn) appendLogPrefix(b []byte) []byte {
	b = append(b, c.ip...)
	b = append(b, " - - ["...)
	t := c.server.now().Local()
	year, month, day := t.Date()
	hh, mm, ss := t.Clock()
	b = appendTwo(b, day)
	b = append(b, '/')
	b = append(b, month.String()[:3]...)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(year), 10)
	b = append(b, ' ')
	b = appendTwo(b, hh)
	b = append(b, ':')
	b = appendTwo(b, mm)
	b = append(b, ':')
	b = appendTwo(b, ss)
	return append(b, "] "...)
}

func appendTwo(b []byte, n int) []byte {
	return append(b, byte('0'+n/10%10), byte('0'+n%10))
}

func (c *conn) writeLog(b []byte) {
	c.logBuf = b[:0]
	c.server.writeLog(b)
}

// appendEscaped appends s with control characters escaped. When latin1 is
// true, s holds raw request bytes and each byte is one character, as
// Python's ISO-8859-1 decoding makes it; otherwise s is UTF-8 text.
func appendEscaped(b []byte, s string, latin1 bool) []byte {
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if !latin1 && r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r == '\\':
			b = append(b, `\\`...)
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			b = append(b, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xf])
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}
