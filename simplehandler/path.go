// From URL paths to file names.
//
// A request path becomes a file name the way Python's translate_path makes
// it, with one change of model: Python decodes %XX as UTF-8 into a str,
// which the file system then encodes again, while a file name on Linux is
// any bytes. So the path is decoded to raw bytes:
//
//  1. The query (from the first "?") and the fragment (from the first "#")
//     are dropped.
//  2. %XX becomes the byte XX; a "%" not followed by two hex digits stays
//     as it is, as in urllib.parse.unquote. "%2F" becomes a separator and
//     "%2e%2e" becomes "..", because Python decodes before normalising.
//  3. A NUL byte is refused (ErrBadPath): no file name holds one.
//  4. The UTF-8 encoding of U+DC80 to U+DCFF (ED B2 80 to ED B3 BF)
//     becomes the byte 0x80 to 0xFF. These are Python's surrogate escapes:
//     Python lists a file named "\xff.txt" with a link to "%ED%B3%BF.txt",
//     and such links keep working here.
//  5. The path is normalised as posixpath.normpath normalises an absolute
//     path: empty and "." elements go, ".." removes the element before it
//     and is dropped at the top. Nothing can climb out of the root.
//  6. Where the file system has more separators than "/" (Windows), an
//     element holding one, or a drive or stream colon, is dropped, as
//     Python drops a word whose os.path.dirname is not empty.

package simplehandler

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// ErrBadPath is the error of [Handler.TranslatePath] for a URL path that
// names no possible file: one holding a NUL byte once percent-decoded.
// The handler answers it with 400 "Bad request path".
var ErrBadPath = errors.New("simplehandler: NUL byte in URL path")

// TranslatePath is Python's translate_path: it turns the request path
// urlPath (Python's self.path, query included) into rel, a slash-separated
// name relative to the served directory, "." for the directory itself.
// trailingSlash reports whether the URL path, before decoding, ended in
// "/": a file named with one is not served.
//
// rel is clean (as [path.Clean] leaves it), relative, holds no ".."
// element and no NUL byte, so filepath.Join(h.Dir, rel) never leaves
// h.Dir; symlinks are the opener's business. The file comment of path.go
// lists the steps. The only error is [ErrBadPath].
func (h *Handler) TranslatePath(urlPath string) (rel string, trailingSlash bool, err error) {
	return translatePath(urlPath)
}

// translatePath is TranslatePath, which needs nothing from the Handler.
func translatePath(p string) (rel string, trailingSlash bool, err error) {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	// Python computes trailing_slash from path.rstrip(); the only
	// whitespace a request target can hold is a raw 0x85 or 0xA0 byte,
	// which Python reads as Latin-1 whitespace and here is part of a name.
	trailingSlash = strings.HasSuffix(p, "/")
	if isCleanPath(p) {
		// The common case, "/dir/file.txt": the answer is a substring.
		rel = strings.Trim(p, "/")
		if rel == "" {
			rel = "."
		}
		return rel, trailingSlash, nil
	}
	rel, err = decodePath(p)
	return rel, trailingSlash, err
}

// decodePath is steps 2 to 6 of translatePath, for a path without query
// or fragment.
func decodePath(p string) (string, error) {
	b := unescapePath([]byte(p))
	for _, c := range b {
		if c == 0 {
			return "", ErrBadPath
		}
	}
	b = unescapeSurrogates(b)
	b = normalisePath(b)
	if filepath.Separator != '/' {
		b = dropForeignWords(b)
	}
	if len(b) == 0 {
		return ".", nil
	}
	return string(b), nil
}

// isCleanPath reports whether p, a URL path without query, is already its
// own translation, leading and trailing slashes aside: nothing to decode,
// no empty, "." or ".." element, no NUL, no byte that starts a surrogate
// escape (0xED) and, on Windows, no backslash or colon.
func isCleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	start := 1
	for i := 1; i <= len(p); i++ {
		if i < len(p) {
			switch c := p[i]; {
			case c == '%' || c == 0xED || c == 0:
				return false
			case filepath.Separator != '/' && (c == '\\' || c == ':'):
				return false
			case c != '/':
				continue
			}
		}
		switch p[start:i] {
		case "":
			if i != len(p) { // an empty element but the last: "//"
				return false
			}
		case ".", "..":
			return false
		}
		start = i + 1
	}
	return true
}

// UnescapePath decodes a URL path as TranslatePath does: each %XX becomes
// the byte XX (a "%" that two hex digits do not follow stays, as in
// urllib.parse.unquote), and the UTF-8 form of a surrogate escape
// U+DC80..U+DCFF becomes the byte 0x80..0xFF it stands for, so that
// Python's links to non-UTF-8 names keep working. A NUL byte is kept: the
// caller decides what it means. The CGI handler decodes script paths
// with it.
func UnescapePath(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, 0xED) < 0 {
		return s
	}
	return string(unescapeSurrogates(unescapePath([]byte(s))))
}

// unescapePath decodes each %XX of b to the byte XX, in place, and leaves
// a "%" that two hex digits do not follow as it is (urllib.parse.unquote).
func unescapePath(b []byte) []byte {
	n := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '%' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			c = unhex(b[i+1])<<4 | unhex(b[i+2])
			i += 2
		}
		b[n] = c
		n++
	}
	return b[:n]
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

// unescapeSurrogates replaces, in place, each UTF-8-encoded surrogate
// escape U+DC80..U+DCFF (ED B2 80 .. ED B3 BF) by the byte it stands for,
// 0x80..0xFF: Python's os.fsencode of a name that os.listdir could not
// decode, which Python's listing links to percent-encoded.
func unescapeSurrogates(b []byte) []byte {
	n := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == 0xED && i+2 < len(b) && (b[i+1] == 0xB2 || b[i+1] == 0xB3) && b[i+2]&0xC0 == 0x80 {
			c = 0x80 + (b[i+1]-0xB2)<<6 + b[i+2]&0x3F
			i += 2
		}
		b[n] = c
		n++
	}
	return b[:n]
}

// normalisePath is posixpath.normpath of "/"+b followed by Python's
// removal of "." and ".." words, in place, without the leading slash:
// empty and "." elements are dropped, ".." drops the element before it,
// and a ".." at the top has nothing to drop.
//
// The result never outgrows what has been read, so the elements can be
// moved down in place.
func normalisePath(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] != '/' {
			j++
		}
		switch elem := b[i:j]; string(elem) { // no allocation: compared in place
		case "", ".":
		case "..":
			k := len(out)
			for k > 0 && out[k-1] != '/' {
				k--
			}
			out = out[:max(k-1, 0)]
		default:
			if len(out) > 0 {
				out = append(out, '/')
			}
			out = append(out, elem...) // overlapping moves are safe: append copies like memmove
		}
		i = j + 1
	}
	return out
}

// dropForeignWords drops, on a file system with separators other than "/",
// each element that holds one or a colon (a drive, "C:", or an NTFS stream,
// "a:b"): Python's check that os.path.dirname(word) is empty, done after
// normalising as Python does it.
func dropForeignWords(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] != '/' {
			j++
		}
		elem := b[i:j]
		foreign := false
		for _, c := range elem {
			foreign = foreign || c == ':' || os.IsPathSeparator(c)
		}
		if !foreign {
			if len(out) > 0 {
				out = append(out, '/')
			}
			out = append(out, elem...)
		}
		i = j + 1
	}
	return out
}

// redirectTarget is the Location of the redirect that adds the trailing
// slash to a directory: Python's urlsplit of self.path, "/" added to the
// path, then urlunsplit, which drops an empty query or fragment with its
// "?" or "#".
//
// One change: a backslash in the path is sent as %5C. Browsers read "\" as
// "/" in http URLs, so a Location of "/\evil.example/../" would take them
// to evil.example (Python 3.11 sends that); %5C decodes back to the same
// name here.
func redirectTarget(p string) string {
	p, fragment, _ := strings.Cut(p, "#")
	p, query, _ := strings.Cut(p, "?")
	var b strings.Builder
	b.Grow(len(p) + len(query) + len(fragment) + 8)
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' {
			b.WriteString("%5C")
		} else {
			b.WriteByte(p[i])
		}
	}
	b.WriteByte('/')
	if query != "" {
		b.WriteByte('?')
		b.WriteString(query)
	}
	if fragment != "" {
		b.WriteByte('#')
		b.WriteString(fragment)
	}
	return b.String()
}
