package cgihandler

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/httpserve/httpserve/simplehandler"
)

// From request paths to scripts: the decoding and collapsing that
// Python's _url_collapse_path does, and the quoting of names in Python's
// error messages.

// errDotDot is collapsePath's refusal of a ".." that climbs above the
// root.
var errDotDot = &statusError{http.StatusNotFound, "File not found"}

// collapsePath is Python's _url_collapse_path: the path (without its
// query) is percent-decoded, as simplehandler decodes it, so that "%2F"
// separates and "%2e%2e" is ".."; empty and "." elements are dropped and
// ".." removes the element before it. A ".." that would climb above the
// root is refused with errDotDot (Python raises IndexError and sends
// nothing). The result never holds "." or "..", so matching it against
// the CGI directories cannot be fooled, and a path that only passes
// through a CGI directory ("/cgi-bin/../x") is not a script. A trailing
// slash is kept, and a trailing "." or ".." leaves one: "/a/b/.", "/a/b/"
// and "/a/b/c/.." all give "/a/b/".
func collapsePath(urlPath string) (string, error) {
	dec := simplehandler.UnescapePath(urlPath)
	elems := make([]string, 0, 8)
	last := ""
	for elem := range strings.SplitSeq(dec, "/") {
		last = elem
		switch elem {
		case "..":
			if len(elems) == 0 {
				return "", errDotDot
			}
			elems = elems[:len(elems)-1]
		case "", ".":
		default:
			elems = append(elems, elem)
		}
	}
	clean := "/" + strings.Join(elems, "/")
	if len(elems) > 0 && (last == "" || last == "." || last == "..") {
		clean += "/"
	}
	return clean, nil
}

// pyRepr quotes s as Python's repr() quotes a str, for the messages
// "No such CGI script ('/cgi-bin/x')" and the like: single quotes, or
// double quotes when s holds a single quote and no double quote; the
// quote and backslash escaped; \t, \n, \r; \xHH, \uHHHH or \UHHHHHHHH for
// characters Python does not print. Bytes that are not UTF-8 become
// U+FFFD, as urllib.parse.unquote decodes them.
func pyRepr(s string) string {
	quote := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = utf8.AppendRune(b, quote)
	for _, r := range s {
		switch {
		case r == quote || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case unicode.IsPrint(r):
			b = utf8.AppendRune(b, r)
		case r < 0x100:
			b = append(b, '\\', 'x', hex[r>>4], hex[r&0xf])
		case r < 0x10000:
			b = append(b, '\\', 'u')
			for shift := 12; shift >= 0; shift -= 4 {
				b = append(b, hex[r>>shift&0xf])
			}
		default:
			b = append(b, '\\', 'U')
			for shift := 28; shift >= 0; shift -= 4 {
				b = append(b, hex[r>>shift&0xf])
			}
		}
	}
	return string(utf8.AppendRune(b, quote))
}
