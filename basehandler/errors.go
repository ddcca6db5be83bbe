package basehandler

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// ProtocolError is a request the server answers with an error status
// instead of passing it to the handler: a malformed request line, a field
// line too long, ambiguous body framing. It is a value on the wire, as
// net/http's statusError is: Message becomes the reason phrase and the
// error page's message, so it must never carry more than the client sent.
type ProtocolError struct {
	Status  int    // the status code to answer with
	Message string // Python's send_error message; "" for the standard phrase
	Explain string // the longer explanation; "" for the standard one
}

func (e *ProtocolError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return "http: " + strconv.Itoa(e.Status) + " " + msg
}

func badRequest(msg string) error {
	return &ProtocolError{Status: http.StatusBadRequest, Message: msg}
}

var (
	errLineTooLong = errors.New("http: line too long")
	// ErrBodyLength is returned by Response.Write when a handler writes
	// more than the Content-Length it sent.
	ErrBodyLength = errors.New("http: wrote more than the declared Content-Length")
	// ErrHeadersSent is returned when a handler starts a second response.
	ErrHeadersSent = errors.New("http: response headers already sent")
)

// Repr quotes s the way Python's repr() quotes a str decoded from
// ISO-8859-1, as http.server's "%r" error messages do: 'GET / FOO', or
// "it's" when the text holds a single quote and no double quote. Bytes
// Python thinks unprintable become \xHH, \t, \n or \r; the others become
// the Latin-1 character they stand for, encoded as UTF-8. Handlers use it
// for Python's messages about what the client sent, such as
// "Unsupported method ('BREW')".
func Repr[T ~string | ~[]byte](b T) string {
	quote := byte('\'')
	hasSingle, hasDouble := false, false
	for i := 0; i < len(b); i++ {
		hasSingle = hasSingle || b[i] == '\''
		hasDouble = hasDouble || b[i] == '"'
	}
	if hasSingle && !hasDouble {
		quote = '"'
	}
	out := make([]byte, 0, len(b)+2)
	out = append(out, quote)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == quote || c == '\\':
			out = append(out, '\\', c)
		case c == '\t':
			out = append(out, `\t`...)
		case c == '\n':
			out = append(out, `\n`...)
		case c == '\r':
			out = append(out, `\r`...)
		case c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad:
			out = append(out, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		case c < 0x80:
			out = append(out, c)
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return string(append(out, quote))
}

const hexDigits = "0123456789abcdef"
