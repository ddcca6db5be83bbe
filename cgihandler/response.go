package cgihandler

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/httpserve/httpserve/basehandler"
)

// The script's answer (RFC 3875 section 6). A parsed-header script
// writes a header block, then the body:
//
//	CGI-Response   = document-response | local-redir-response |
//	                 client-redir-response | client-redirdoc-response
//	header-field   = CGI-field | other-field
//	CGI-field      = Content-Type | Location | Status
//	Status         = "Status:" status-code SP reason-phrase NL
//
// The server makes the HTTP response from it: Status sets the status; an
// absolute Location without Status is a 302; a local Location ("/path")
// with neither Status nor body is served internally, as a GET of that
// path; other fields pass through, except those that are the server's own
// business (framing, connection management, Server, Date). A script whose
// name starts with "nph-" writes the whole HTTP response itself (section
// 5), which is passed through untouched.

const (
	// outBufSize is the buffer the script's output is read through: the
	// longest header line a script may write, and the largest piece of
	// body sent at once.
	outBufSize = 32 << 10
	// maxHeaderFields bounds the header block.
	maxHeaderFields = 256
)

// field is a header field from the script.
type field struct{ name, value string }

// cgiHeader is a parsed header block.
type cgiHeader struct {
	status   int    // from Status; 0 if absent
	reason   string // its reason phrase, "" for the standard one
	location string
	fields   []field // what passes through to the client
}

// errHeaderEOF: the output ended before the empty line ending the header
// block, typically because the script failed.
var errHeaderEOF = errors.New("the script's output ended before its header block did")

// readHeader reads and checks the header block. Lines may end in LF or
// CRLF. A malformed block is an error wrapping errMalformed.
func readHeader(br *bufio.Reader) (*cgiHeader, error) {
	h := &cgiHeader{}
	contentLength := ""
	for n := 0; ; n++ {
		line, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			return nil, fmt.Errorf("%w: a line longer than %d bytes", errMalformed, outBufSize)
		case err == io.EOF:
			return nil, errHeaderEOF
		case err != nil:
			return nil, err
		}
		line = trimEOL(line)
		if len(line) == 0 {
			break
		}
		if n >= maxHeaderFields {
			return nil, fmt.Errorf("%w: more than %d fields", errMalformed, maxHeaderFields)
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !isToken(name) {
			return nil, fmt.Errorf("%w: bad line %q", errMalformed, line)
		}
		value = bytes.Trim(value, " \t")
		if !validFieldValue(value) {
			return nil, fmt.Errorf("%w: bad value in %q", errMalformed, line)
		}
		switch k := strings.ToLower(string(name)); k {
		case "status":
			if h.status != 0 {
				return nil, fmt.Errorf("%w: two Status fields", errMalformed)
			}
			if h.status, h.reason, ok = parseStatus(string(value)); !ok {
				return nil, fmt.Errorf("%w: bad status %q", errMalformed, value)
			}
		case "location":
			if h.location != "" || len(value) == 0 {
				return nil, fmt.Errorf("%w: bad Location", errMalformed)
			}
			h.location = string(value)
			h.fields = append(h.fields, field{string(name), h.location})
		case "content-length":
			// A valid length frames the body (a short body closes the
			// connection; extra bytes are dropped); an invalid one would
			// contradict the framing the server picks instead.
			if _, ok := basehandler.ParseContentLength(string(value)); !ok || (contentLength != "" && contentLength != string(value)) {
				return nil, fmt.Errorf("%w: bad Content-Length %q", errMalformed, value)
			}
			if contentLength == "" {
				contentLength = string(value)
				h.fields = append(h.fields, field{string(name), contentLength})
			}
		case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade":
			// Hop-by-hop: the server frames the body and manages the
			// connection (section 6.3.4 lets it drop these).
		case "server", "date":
			// The server sends its own, as for every response.
		default:
			h.fields = append(h.fields, field{string(name), string(value)})
		}
	}
	return h, nil
}

// parseStatus parses a Status value: a three-digit code, then optionally
// a space and a reason phrase. Only final statuses (200 to 599) make
// sense for a whole response.
func parseStatus(v string) (code int, reason string, ok bool) {
	if len(v) < 3 || (len(v) > 3 && v[3] != ' ' && v[3] != '\t') {
		return 0, "", false
	}
	code, err := strconv.Atoi(v[:3])
	if err != nil || code < 200 || code > 599 || v[0] == '+' {
		return 0, "", false
	}
	return code, strings.TrimSpace(v[3:]), true
}

// isLocalPath reports whether a Location is a local path (RFC 3875
// section 6.2.2: local-Location = "Location:" local-pathquery), as
// opposed to an absolute URI or a network-path reference ("//host/").
func isLocalPath(loc string) bool {
	return strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, "/\\")
}

// serveParsed answers from a parsed-header script's output. It returns
// the path of a local redirect without answering.
func (x *exchange) serveParsed(out *bufio.Reader) (redirect string) {
	h, err := readHeader(out)
	if err != nil {
		x.headerFailed(err)
		return ""
	}
	status, reason := h.status, h.reason
	if h.location != "" && status == 0 {
		if isLocalPath(h.location) {
			_, err := out.Peek(1)
			if err == io.EOF && x.ctx.Err() == nil {
				return h.location // section 6.2.2: no body, so a local redirect
			}
			if x.ctx.Err() != nil {
				x.headerFailed(errHeaderEOF)
				return ""
			}
		}
		status = http.StatusFound // section 6.2.3 and 6.2.4
	}
	if status == 0 {
		// Python's reason phrase, which it sends for every script.
		status, reason = http.StatusOK, "Script output follows"
	}
	x.sendResponse(status, reason)
	for _, f := range h.fields {
		x.w.SendHeader(f.name, f.value)
	}
	x.w.EndHeaders()
	if out.Buffered() == 0 {
		x.w.Flush() // the head goes out now, not when the script next writes
	}
	x.copyOut(out, x.w)
	if x.ctx.Err() != nil {
		// Stopped midway (timeout, or the client went away): the client
		// must not take what it got for the whole body.
		x.w.Abort()
	}
	return ""
}

// headerFailed answers for a script that gave no usable header block: 504
// if it timed out, nothing if the client is gone, else 502. A malformed
// block also stops the script.
func (x *exchange) headerFailed(err error) {
	if errors.Is(err, errMalformed) {
		x.cancel(err)
	}
	switch {
	case errors.Is(context.Cause(x.ctx), errTimeout):
		x.sendError(http.StatusGatewayTimeout, "")
	case x.reqCtx.Err() != nil:
		// The client went away: there is nobody to answer.
	default:
		x.logf("cgi: %s: %v", x.s.name, err)
		x.sendError(http.StatusBadGateway, "")
	}
}

// copyOut streams the script's output to dst as it comes, flushing after
// every piece, so that a slow script's first bytes reach the client before
// it ends. A client that cannot be written to stops the script.
func (x *exchange) copyOut(out *bufio.Reader, dst io.Writer) {
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	for {
		n, err := out.Read(*buf)
		if n > 0 {
			_, werr := dst.Write((*buf)[:n])
			if werr == nil {
				werr = x.w.Flush()
			}
			if errors.Is(werr, basehandler.ErrBodyLength) {
				x.logf("cgi: %s: output longer than its Content-Length; the rest is dropped", x.s.name)
				return // the rest is read and dropped by the caller
			}
			if werr != nil {
				x.cancel(fmt.Errorf("writing to the client: %w", werr))
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// serveNPH passes a non-parsed-header script's output through as the
// whole response, status line included (RFC 3875 section 5). The status
// line is read first, for the log line and so that a script that writes
// nothing still gets a 502.
func (x *exchange) serveNPH(out *bufio.Reader) {
	first, err := out.ReadSlice('\n')
	if len(first) == 0 && err != nil {
		x.headerFailed(errHeaderEOF)
		return
	}
	code, reason, ok := parseStatusLine(first)
	if x.r.Method == http.MethodHead {
		x.serveNPHHead(out, code, reason, ok)
		return
	}
	x.logRequest(code, ok)
	raw := x.w.Raw()
	if _, err = raw.Write(first); err == nil {
		err = x.w.Flush()
	}
	if err != nil {
		x.cancel(fmt.Errorf("writing to the client: %w", err))
		return
	}
	x.copyOut(out, raw)
}

// serveNPHHead answers HEAD for an nph script. Response.Raw drops every
// byte of a HEAD response, head included, so the script's head is parsed
// and sent field by field instead, unchanged but for the framing the
// server adds; the body is read and dropped.
func (x *exchange) serveNPHHead(out *bufio.Reader, code int, reason string, ok bool) {
	if !ok {
		x.headerFailed(fmt.Errorf("%w: bad status line", errMalformed))
		return
	}
	var fields []field
	for {
		line, err := out.ReadSlice('\n')
		if err != nil && !(err == io.EOF && len(line) > 0) {
			break // the head ends with the output: what came is what there is
		}
		line = trimEOL(line)
		if len(line) == 0 {
			break
		}
		name, value, found := bytes.Cut(line, []byte(":"))
		if found && isToken(name) {
			fields = append(fields, field{string(name), string(bytes.Trim(value, " \t"))})
		}
	}
	x.logRequest(code, true)
	x.w.SendResponseOnly(code, reason)
	for _, f := range fields {
		x.w.SendHeader(f.name, f.value)
	}
	x.w.EndHeaders()
}

// logRequest writes the request's log line, which Response.SendResponse
// would write, for a response the script wrote itself.
func (x *exchange) logRequest(code int, ok bool) {
	if ok {
		x.w.LogRequest(code)
		return
	}
	x.logf("\"%s\" - -", x.r.RequestLine)
}

// parseStatusLine parses "HTTP/1.1 200 OK" (RFC 9112 section 4).
func parseStatusLine(line []byte) (code int, reason string, ok bool) {
	line = trimEOL(line)
	version, rest, found := bytes.Cut(line, []byte(" "))
	if !found || !bytes.HasPrefix(version, []byte("HTTP/")) {
		return 0, "", false
	}
	codeText, reasonText, _ := bytes.Cut(rest, []byte(" "))
	if len(codeText) != 3 {
		return 0, "", false
	}
	code, err := strconv.Atoi(string(codeText))
	if err != nil || code < 100 {
		return 0, "", false
	}
	return code, string(reasonText), true
}

// isToken reports whether b is a field name (RFC 9110 section 5.6.2).
func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// validFieldValue reports whether v may be a field value (RFC 9110
// section 5.5): no control character but HT.
func validFieldValue(v []byte) bool {
	for _, c := range v {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
