package errors

import (
	"bytes"
	"html/template"
	"strconv"
	"unicode/utf8"

	"github.com/httpserve/httpserve/templates"
)

// ContentType is the Content-Type of the error page, as Python sends it
// (DEFAULT_ERROR_CONTENT_TYPE, with no space before "charset").
const ContentType = "text/html;charset=utf-8"

// page is templates/error.html, parsed once. A broken embedded template
// is a build mistake, caught by any test, so it panics here at init.
var page = template.Must(template.ParseFS(templates.FS, "error.html"))

// pageData is what error.html renders.
//
// Message and Explain are template.HTML, not string, on purpose.
// html/template would escape ' and " as well, but Python's send_error
// uses html.escape(s, quote=False), which escapes only &, < and >; to
// send pages byte-identical to Python's we escape them ourselves with
// [escape] and tell html/template to leave them alone. That is safe
// because the values only ever appear in element content (inside <p>),
// where quotes mean nothing; never move them into an attribute.
type pageData struct {
	Code    int
	Message template.HTML
	Explain template.HTML
}

// AppendPage appends Python's error page for code, message and explain
// to dst and returns the extended slice. The page is
// BaseHTTPRequestHandler.error_message_format (DEFAULT_ERROR_MESSAGE)
// filled in as send_error does, encoded as UTF-8.
//
// message and explain are used as given: like send_error's caller, the
// caller defaults them first, to [Phrase] and [Explain] of code, or to
// "???" for both when Phrase(code) is "" (a code Python does not know).
// They are escaped here as html.escape(s, quote=False) does, and invalid
// UTF-8 in them becomes U+FFFD as in Python's decode('utf-8', 'replace').
//
// AppendPage does not panic; should the template ever fail, it appends
// the same page built without it.
func AppendPage(dst []byte, code int, message, explain string) []byte {
	data := pageData{
		Code:    code,
		Message: template.HTML(escape(message)),
		Explain: template.HTML(escape(explain)),
	}
	if out, ok := render(dst, &data); ok {
		return out
	}
	return appendFallback(dst, &data)
}

// render executes page after dst; ok is false if the template failed or
// panicked, and then only dst[:len(dst)] is meaningful (the template may
// have written into its spare capacity).
func render(dst []byte, data *pageData) (out []byte, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	buf := bytes.NewBuffer(dst)
	if err := page.Execute(buf, data); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// appendFallback appends DEFAULT_ERROR_MESSAGE filled in with data,
// without html/template. TestFallback keeps it equal to error.html.
func appendFallback(dst []byte, data *pageData) []byte {
	dst = append(dst, "<!DOCTYPE HTML>\n"+
		"<html lang=\"en\">\n"+
		"    <head>\n"+
		"        <meta charset=\"utf-8\">\n"+
		"        <title>Error response</title>\n"+
		"    </head>\n"+
		"    <body>\n"+
		"        <h1>Error response</h1>\n"+
		"        <p>Error code: "...)
	dst = strconv.AppendInt(dst, int64(data.Code), 10)
	dst = append(dst, "</p>\n        <p>Message: "...)
	dst = append(dst, data.Message...)
	dst = append(dst, ".</p>\n        <p>Error code explanation: "...)
	dst = strconv.AppendInt(dst, int64(data.Code), 10)
	dst = append(dst, " - "...)
	dst = append(dst, data.Explain...)
	dst = append(dst, ".</p>\n"+
		"    </body>\n"+
		"</html>\n"...)
	return dst
}

// escape returns s as Python's html.escape(s, quote=False) would: &, <
// and > become &amp;, &lt; and &gt;, and nothing else changes. It also
// makes s valid UTF-8, replacing each invalid sequence with U+FFFD the
// way Python's bytes.decode('utf-8', 'replace') does (see [invalidLen]).
func escape(s string) string {
	var b []byte // nil until s needs a change
	last := 0    // s[last:i] is still to be copied into b
	for i := 0; i < len(s); {
		c := s[i]
		var repl string
		n := 1
		switch {
		case c == '&':
			repl = "&amp;"
		case c == '<':
			repl = "&lt;"
		case c == '>':
			repl = "&gt;"
		case c < utf8.RuneSelf:
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				repl, n = "\uFFFD", invalidLen(s[i:])
			} else {
				n = size
			}
		}
		if repl != "" {
			if b == nil {
				b = make([]byte, 0, len(s)+16)
			}
			b = append(b, s[last:i]...)
			b = append(b, repl...)
			last = i + n
		}
		i += n
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// invalidLen returns the length of the invalid UTF-8 sequence at the
// start of s: its "maximal subpart", the longest prefix of a well-formed
// sequence, or 1 when s[0] cannot start one (The Unicode Standard, 3.9,
// "U+FFFD Substitution of Maximal Subparts"). Python replaces each
// maximal subpart with one U+FFFD, so "\xe6\x97" (a truncated 日) gives
// one, while "\xff\xff" and "\xed\xa0\x80" (a surrogate) give one per byte.
// Go's utf8.DecodeRune always reports 1, which is why this exists.
func invalidLen(s string) int {
	lo, hi := byte(0x80), byte(0xBF) // the range of the second byte
	var need int                     // continuation bytes s[0] calls for
	switch c := s[0]; {
	case 0xC2 <= c && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0 // no overlong forms
	case c == 0xED:
		need, hi = 2, 0x9F // no surrogates
	case 0xE1 <= c && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90 // no overlong forms
	case 0xF1 <= c && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F // nothing above U+10FFFF
	default: // a continuation byte, C0, C1 or F5-FF
		return 1
	}
	n := 1
	for n <= need && n < len(s) && lo <= s[n] && s[n] <= hi {
		lo, hi = 0x80, 0xBF
		n++
	}
	return n
}
