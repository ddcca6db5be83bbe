// Cross-origin resource sharing (--cors, [Handler.CORS]).
//
// With CORS set, any web page may read what the server serves (the Fetch
// standard's CORS protocol, https://fetch.spec.whatwg.org/#http-cors-protocol):
//
//   - Every answer to GET and HEAD, error pages included, carries
//     Access-Control-Allow-Origin: * and, so that scripts can read the
//     fields range-aware readers need (pdf.js, video players),
//     Access-Control-Expose-Headers: Accept-Ranges, Content-Encoding,
//     Content-Range, ETag ([basehandler.Response.AddHeader] in
//     ServeRequest).
//   - A preflight request, OPTIONS with Origin and
//     Access-Control-Request-Method, gets 204 with
//     Access-Control-Allow-Methods: GET, HEAD, OPTIONS, the requested
//     headers echoed in Access-Control-Allow-Headers (when they are a
//     valid list of field names), and Access-Control-Max-Age: 86400, a
//     day, which browsers cap lower (Chromium at two hours).
//   - Any other OPTIONS gets 204 with Allow: GET, HEAD, OPTIONS (RFC 9110
//     section 9.3.7).
//
// The origin is "*", never echoed, and credentials are never allowed: the
// files are public to anyone who can reach the server, and "*" keeps
// browsers from sending cookies along. Without CORS, OPTIONS is answered
// with 501, as Python answers it.

package simplehandler

import (
	"net/http"
	"strings"

	"github.com/httpserve/httpserve/basehandler"
)

const (
	corsMethods        = "GET, HEAD, OPTIONS"
	corsExposedHeaders = "Accept-Ranges, Content-Encoding, Content-Range, ETag"
	corsMaxAge         = "86400"
)

// DoOPTIONS answers OPTIONS when CORS is set: a CORS preflight, or a
// plain question about the methods the server allows.
func (h *Handler) DoOPTIONS(w *basehandler.Response, r *basehandler.Request) {
	w.SendResponse(http.StatusNoContent)
	if _, ok := r.Header["Origin"]; ok && len(r.Header["Access-Control-Request-Method"]) > 0 {
		w.SendHeader("Access-Control-Allow-Origin", "*")
		w.SendHeader("Access-Control-Allow-Methods", corsMethods)
		if headers := requestedHeaders(r.Header["Access-Control-Request-Headers"]); headers != "" {
			w.SendHeader("Access-Control-Allow-Headers", headers)
		}
		w.SendHeader("Access-Control-Max-Age", corsMaxAge)
	} else {
		w.SendHeader("Allow", corsMethods)
		w.SendHeader("Access-Control-Allow-Origin", "*")
	}
	w.EndHeaders()
}

// requestedHeaders is the Access-Control-Request-Headers list to echo:
// the field lines joined with ", ", or "" when any element is not a
// field name (a token, RFC 9110 section 5.1), so nothing odd is ever
// reflected.
func requestedHeaders(lines []string) string {
	out := ""
	for _, line := range lines {
		for line != "" {
			var name string
			name, line, _ = strings.Cut(line, ",")
			name = trimOWS(name)
			if name == "" {
				continue
			}
			if !isToken(name) {
				return ""
			}
			if out != "" {
				out += ", "
			}
			out += name
		}
	}
	return out
}

// isToken reports whether s is a token (RFC 9110 section 5.6.2):
//
//	token = 1*tchar
//	tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
//	        "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
			c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~':
		default:
			return false
		}
	}
	return true
}
