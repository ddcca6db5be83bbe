package listing

import (
	"strings"
	"unicode/utf8"
)

// This file reproduces, byte for byte, the three Python functions that
// list_directory passes every string through:
//
//   - html.escape(s, quote=False) replaces & < > and nothing else;
//   - urllib.parse.quote(s) percent-encodes every byte except ASCII
//     letters, digits and _.-~/, with upper-case hex digits;
//   - urllib.parse.unquote(s, errors='surrogatepass') decodes %XX escapes,
//     then decodes the bytes as UTF-8 (see appendDisplayPath).
//
// Where Python would write bytes that are not UTF-8, these functions write
// U+FFFD, so the page is always valid UTF-8.

// appendEscaped appends html.escape(s, quote=False) to dst. s must be
// valid UTF-8.
func appendEscaped(dst []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, "&<>")
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		switch s[i] {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		}
		s = s[i+1:]
	}
}

// appendEscapedName appends html.escape(name, quote=False) to dst, with
// each invalid UTF-8 sequence of name replaced by U+FFFD as Python's
// bytes.decode(errors='replace') and the WHATWG decoder of a browser do:
// one U+FFFD for each maximal subpart of an ill-formed sequence (Unicode
// section 3.9, "U+FFFD Substitution of Maximal Subparts"). The page thus
// shows what a browser would show for the raw bytes Python writes.
func appendEscapedName(dst []byte, name string) []byte {
	return appendReplacing(dst, name, appendEscaped)
}

// appendValidUTF8 appends s to dst with each maximal subpart of an
// ill-formed sequence replaced by U+FFFD, as appendEscapedName does but
// without escaping.
func appendValidUTF8(dst []byte, s string) []byte {
	return appendReplacing(dst, s, func(dst []byte, s string) []byte { return append(dst, s...) })
}

// appendReplacing appends s to dst: each valid UTF-8 run through
// escape, and one U+FFFD for each maximal subpart of an ill-formed
// sequence between them.
func appendReplacing(dst []byte, s string, escape func([]byte, string) []byte) []byte {
	for len(s) > 0 {
		valid := validPrefix(s)
		dst = escape(dst, s[:valid])
		s = s[valid:]
		if len(s) > 0 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
			s = s[maximalSubpart(s):]
		}
	}
	return dst
}

// validPrefix returns the length of the longest prefix of s that is
// valid UTF-8.
func validPrefix(s string) int {
	i := 0
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	return i
}

// maximalSubpart returns the length (1 to 3) of the maximal subpart at the
// start of s, which begins with an ill-formed sequence: the lead byte and
// the continuation bytes that could still have completed it. The ranges of
// the second byte are those of Unicode Table 3-7.
func maximalSubpart(s string) int {
	var n int                    // bytes in a complete sequence
	var lo, hi byte = 0x80, 0xBF // range of the second byte
	switch c := s[0]; {
	case 0xC2 <= c && c <= 0xDF:
		n = 2
	case c == 0xE0:
		n, lo = 3, 0xA0
	case c == 0xED:
		n, hi = 3, 0x9F // no surrogates
	case 0xE1 <= c && c <= 0xEF:
		n = 3
	case c == 0xF0:
		n, lo = 4, 0x90
	case 0xF1 <= c && c <= 0xF3:
		n = 4
	case c == 0xF4:
		n, hi = 4, 0x8F // nothing above U+10FFFF
	default:
		return 1 // a continuation byte, C0, C1 or F5 to FF
	}
	if len(s) < 2 || s[1] < lo || s[1] > hi {
		return 1
	}
	i := 2
	for i < n && i < len(s) && 0x80 <= s[i] && s[i] <= 0xBF {
		i++
	}
	return i
}

// appendQuoted appends urllib.parse.quote(s) to dst: every byte except
// the unreserved characters of RFC 3986 section 2.3 and "/" becomes %XX.
// Python encodes the name to UTF-8 first; here s already holds the bytes
// of the name, so a name that is not UTF-8 keeps its raw bytes (%FF).
func appendQuoted(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || c == '/' {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', hex[c>>4], hex[c&0xF])
	}
	return dst
}

// unreserved reports whether c is an unreserved character of RFC 3986
// section 2.3, which Python's quote calls "always safe".
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// appendDisplayPath appends the path of the page title to dst:
//
//	html.escape(urllib.parse.unquote(self.path, errors='surrogatepass'), quote=False)
//
// Python's self.path is the request line decoded as ISO-8859-1, so a byte
// above 0x7F that the client did not percent-encode is one Latin-1
// character; unquote passes such characters through and decodes each run
// of ASCII between them on its own. The %XX escapes of a run are decoded
// to bytes, and the bytes as UTF-8 with errors='surrogatepass'; if any run
// fails, list_directory unquotes the whole path again with
// errors='replace'.
//
// Under surrogatepass an encoded surrogate (ED A0 80 to ED BF BF) decodes
// to a lone surrogate, which Python then writes as a raw byte
// (U+DC80-U+DCFF, by surrogateescape) or fails to encode at all. Here it
// becomes U+FFFD.
func appendDisplayPath(dst []byte, path string) []byte {
	if !strings.Contains(path, "%") {
		return appendEscaped(dst, latin1(path))
	}
	var text []byte
	if t, ok := unquote(nil, path, true); ok {
		text = t
	} else {
		text, _ = unquote(nil, path, false)
	}
	return appendEscaped(dst, string(text))
}

// unquote appends the unquoted path as UTF-8 to dst. With surrogatePass
// it reports false when a run of ASCII decodes to ill-formed UTF-8 other
// than an encoded surrogate; without, ill-formed sequences become U+FFFD.
func unquote(dst []byte, path string, surrogatePass bool) ([]byte, bool) {
	var run []byte // the bytes of one ASCII run, unquoted
	for len(path) > 0 {
		if path[0] >= utf8.RuneSelf {
			dst = utf8.AppendRune(dst, rune(path[0])) // Latin-1
			path = path[1:]
			continue
		}
		n := 0
		for n < len(path) && path[n] < utf8.RuneSelf {
			n++
		}
		run = unquoteToBytes(run[:0], path[:n])
		path = path[n:]
		var ok bool
		if dst, ok = decodeUTF8(dst, string(run), surrogatePass); !ok {
			return dst, false
		}
	}
	return dst, true
}

// unquoteToBytes is urllib.parse.unquote_to_bytes: each % followed by two
// hex digits becomes that byte; any other % stays as it is.
func unquoteToBytes(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

// decodeUTF8 appends s, decoded as UTF-8, to dst (see unquote).
func decodeUTF8(dst []byte, s string, surrogatePass bool) ([]byte, bool) {
	for len(s) > 0 {
		valid := validPrefix(s)
		dst = append(dst, s[:valid]...)
		s = s[valid:]
		if len(s) == 0 {
			break
		}
		switch {
		case !surrogatePass:
			s = s[maximalSubpart(s):]
		case len(s) >= 3 && s[0] == 0xED && 0xA0 <= s[1] && s[1] <= 0xBF && 0x80 <= s[2] && s[2] <= 0xBF:
			s = s[3:] // an encoded surrogate
		default:
			return dst, false
		}
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst, true
}

// latin1 returns s with each byte read as an ISO-8859-1 character.
func latin1(s string) string {
	if !hasHighByte(s) {
		return s
	}
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}

func hasHighByte(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}
