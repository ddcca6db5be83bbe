package listing

import (
	"slices"
	"unicode/utf8"
)

// JSONContentType is the Content-Type of the JSON listing. JSON is
// always UTF-8 (RFC 8259 section 8.1), so it takes no charset.
const JSONContentType = "application/json"

// AppendJSON appends the JSON listing of p to dst, in the schema the
// package documentation describes under "JSON schema": an object with
// the path and the entries, one entry a line, in the order of Entries.
//
// It is written directly, not through encoding/json, for the reason the
// HTML items are (see page.go), and escapes strings as encoding/json
// does. The error is always nil; it is there for symmetry with
// [Page.AppendHTML].
func (p *Page) AppendJSON(dst []byte) ([]byte, error) {
	const entrySize = len(`{"name":"","type":"file","symlink":false,"size":1234567,"mtime":"2006-01-02T15:04:05Z","href":""},` + "\n")
	path := decodePath(p.Path)
	dst = slices.Grow(dst, len(`{"path":"","entries":[]}`+"\n")+2*len(path)+sizeHint(p.Entries, entrySize))
	dst = append(dst, `{"path":`...)
	dst = appendJSONString(dst, path)
	dst = append(dst, `,"entries":[`...)
	for i := range p.Entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '\n')
		dst = appendJSONEntry(dst, &p.Entries[i])
	}
	if len(p.Entries) > 0 {
		dst = append(dst, '\n')
	}
	return append(dst, "]}\n"...), nil
}

// appendJSONEntry appends the JSON object of e (see "JSON schema").
func appendJSONEntry(dst []byte, e *Entry) []byte {
	dst = append(dst, `{"name":"`...)
	dst = appendReplacing(dst, e.Name, appendJSONEscaped)
	if e.IsDir {
		dst = append(dst, `","type":"dir"`...)
	} else {
		dst = append(dst, `","type":"file"`...)
	}
	if e.IsSymlink {
		dst = append(dst, `,"symlink":true`...)
	} else {
		dst = append(dst, `,"symlink":false`...)
	}
	if e.IsDir {
		dst = append(dst, `,"size":null`...)
	} else {
		dst = append(dst, `,"size":`...)
		dst = appendInt(dst, e.Size)
	}
	if knownTime(e.ModTime) {
		dst = append(dst, `,"mtime":"`...)
		dst = appendRFC3339(dst, e.ModTime)
		dst = append(dst, '"')
	} else {
		dst = append(dst, `,"mtime":null`...)
	}
	// quote leaves only letters, digits, _.-~/ and %XX: nothing for
	// JSON to escape.
	dst = append(dst, `,"href":"`...)
	dst = appendQuoted(dst, e.Name)
	if e.IsDir {
		dst = append(dst, '/')
	}
	return append(dst, `"}`...)
}

// appendJSONString appends s, valid UTF-8, as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendJSONEscaped(dst, s)
	return append(dst, '"')
}

// appendJSONEscaped appends s, valid UTF-8, escaped for the inside of a
// JSON string exactly as encoding/json escapes it: the quotation mark,
// the backslash and the controls U+0000 to U+001F, which RFC 8259
// section 7 requires, and also <, > and & (so that no markup reaches a
// client that sniffs the body as HTML) and U+2028 and U+2029 (which
// JavaScript before ES2019 does not allow in strings).
func appendJSONEscaped(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			if c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 { // U+2028, U+2029
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\u202`...)
				dst = append(dst, hex[s[i+2]&0xF])
				i += 3
				start = i
				continue
			}
			i++
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, `\b`...)
		case '\f':
			dst = append(dst, `\f`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	return append(dst, s[start:]...)
}
