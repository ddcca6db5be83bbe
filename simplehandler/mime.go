// Content types for served files.
//
// The Content-Type header of a file is decided in this order:
//
//  1. The name, exactly as Python 3.11's SimpleHTTPRequestHandler.guess_type
//     decides it on Debian (GuessType). The tables come from Python itself:
//     gen_mime.py dumps them into mimetable.go, and mime_test.go checks both the
//     tables and the algorithm against python3.
//  2. When the name says nothing, where Python answers application/octet-stream,
//     the first bytes of the file (SniffType). Python does not sniff. Sniffing
//     never produces a type that a browser would run as a document (HTML, XHTML,
//     SVG, XML) or as a script: those become text/plain.
//  3. Text types get "; charset=utf-8" (WithCharset). Python sends no charset.
//
// ContentType combines the three for the handler.

package simplehandler

import (
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
)

//go:generate python3 gen_mime.py

const (
	mimeOctetStream   = "application/octet-stream"
	mimeTextPlainUTF8 = "text/plain; charset=utf-8"
	mimeCharsetUTF8   = "; charset=utf-8"

	// mimeSniffLen is the most SniffType looks at: the 3 KiB head the
	// handler reads. That covers the magic numbers at the start of a file;
	// a ZIP-based format whose telling entry lies further in (some docx or
	// jar files) is reported as application/zip.
	mimeSniffLen = 3072
)

// GuessType is SimpleHTTPRequestHandler.guess_type: the type Python 3.11 on
// Debian sends for a file with this name or path, and ok=false where Python
// falls back to application/octet-stream because it knows no type (ok is true
// for names Python maps to application/octet-stream on purpose, like "a.Z" or
// "a.bin").
//
// Only the last element of a slash-separated path matters, as in Python:
//
//  1. posixpath.splitext: the extension starts at the last dot of the last
//     element, unless only dots come before it, so ".bashrc" and "..a" have
//     none and "a." has ".".
//  2. extensions_map: ".gz", ".Z", ".bz2" and ".xz" as they are, then
//     lower-cased, so "a.b.GZ" is application/gzip.
//  3. mimetypes.guess_type: suffix_map rewrites the lower-cased extension
//     (".tgz" → ".tar.gz", ".svgz" → ".svg.gz"); an encoding extension
//     (".gz", ".Z", ".bz2", ".xz", ".br", case-sensitive) is stripped, so
//     "x.tar.br" is application/x-tar and "x.svgz" image/svg+xml; then the
//     extension is looked up lower-cased in types_map, so "a.TXT" is
//     text/plain.
//
// Lower-casing is Python's str.lower, which also maps U+212A KELVIN SIGN
// to "k" but leaves "İ" (U+0130) as two code points, unlike [strings.ToLower].
//
// Unlike mimetypes.guess_type, the name is never read as a URL. Python's
// server passes the absolute path from translate_path, which has no scheme;
// a bare name like "data:text/html,x" would otherwise be typed as a data:
// URL.
func GuessType(name string) (ctype string, ok bool) {
	base, ext := mimeSplitext(name)
	if t, ok := mimeServerExtensions[ext]; ok {
		return t, true
	}
	if t, ok := mimeLookupLower(mimeServerExtensions, ext); ok {
		return t, true
	}
	// mimetypes.guess_type from here on.
	for {
		s, ok := mimeLookupLower(mimeSuffixes, ext)
		if !ok {
			break
		}
		// Allocates, but only for the few names in suffix_map.
		base, ext = mimeSplitext(base + s)
	}
	if _, ok := mimeEncodings[ext]; ok {
		_, ext = mimeSplitext(base)
	}
	if t, ok := mimeLookupLower(mimeTypes, ext); ok {
		return t, true
	}
	return mimeOctetStream, false
}

// mimeSplitext is Python's posixpath.splitext: ext is empty or starts at the
// last dot of the last element, if a character other than a dot comes
// before that dot in the element. root+ext == p.
func mimeSplitext(p string) (root, ext string) {
	sep := strings.LastIndexByte(p, '/')
	dot := strings.LastIndexByte(p, '.')
	if dot > sep {
		for i := sep + 1; i < dot; i++ {
			if p[i] != '.' {
				return p[:dot], p[dot:]
			}
		}
	}
	return p, ""
}

// mimeLookupLower reports m[ext.lower()] as Python computes it, without
// allocating. The keys are ASCII (gen_mime.py checks), so a lower-cased
// extension can only match when each code point lowers to ASCII: ASCII
// letters and the few in mimeFoldASCII. Any other code point, or an invalid
// UTF-8 byte (a surrogate escape in Python), rules a match out.
func mimeLookupLower(m map[string]string, ext string) (string, bool) {
	var buf [mimeMaxKeyLen]byte
	n := 0
	for i := 0; i < len(ext); n++ {
		if n == len(buf) {
			return "", false
		}
		c := ext[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(ext[i:])
			f, ok := mimeFoldASCII[r]
			if !ok {
				return "", false
			}
			c = f
			i += size
		}
		buf[n] = c
	}
	t, ok := m[string(buf[:n])] // no allocation: the compiler looks up in place
	return t, ok
}

// SniffType guesses the type of a file whose name says nothing from its first
// bytes, using [mimetype.Detect] on at most 3072 of them. Parameters that
// mimetype adds (a detected charset) are dropped, and text types come back
// with "; charset=utf-8" as [WithCharset] gives them; a byte order mark
// still wins over that label in browsers. Empty input and bytes nothing
// matches give application/octet-stream.
//
// Sniffed types are demoted where serving them would let a file without an
// extension run in the browser (caddy refuses to sniff for the same reason):
//
//   - text/html, application/xhtml+xml, image/svg+xml, text/xml,
//     application/xml and every other +xml type found in text bytes (RSS,
//     Atom, KML, ...: browsers render XML, which can embed XHTML scripts),
//     text/javascript and application/javascript, x-javascript and
//     ecmascript become text/plain; charset=utf-8;
//   - Flash (application/x-shockwave-flash) becomes
//     application/octet-stream;
//   - a text-named type found in binary bytes, such as a Visio drawing
//     (application/vnd.ms-visio.drawing.main+xml, which is a ZIP file), is
//     reported as its container (application/zip), so binary data never gets
//     a charset.
//
// Other text types (text/plain, text/csv, application/json, text/x-python,
// ...) and binary types (image/png, application/pdf, ...) are kept.
func SniffType(head []byte) string {
	if len(head) == 0 {
		return mimeOctetStream
	}
	if len(head) > mimeSniffLen {
		head = head[:mimeSniffLen]
	}
	for n := mimetype.Detect(head); n != nil; n = n.Parent() {
		t := mimeBase(n.String())
		if mimeUnderText(n) {
			if mimeSniffActive(t) {
				return mimeTextPlainUTF8
			}
			return WithCharset(t)
		}
		switch {
		case strings.EqualFold(t, "application/x-shockwave-flash"),
			strings.EqualFold(t, "application/vnd.adobe.flash.movie"):
			return mimeOctetStream
		case !mimeIsText(t):
			return t
		}
		// A text type over binary bytes: try the parent format.
	}
	return mimeOctetStream
}

// mimeUnderText reports whether mimetype found text: n is text/plain or
// a format below it in mimetype's tree.
func mimeUnderText(n *mimetype.MIME) bool {
	for ; n != nil; n = n.Parent() {
		if mimeBase(n.String()) == "text/plain" {
			return true
		}
	}
	return false
}

// mimeSniffActive reports whether a browser would render t as a document
// that can run scripts, or load it as a script: HTML, XHTML, SVG, any XML,
// JavaScript.
func mimeSniffActive(t string) bool {
	typ, sub, _ := strings.Cut(t, "/")
	if mimeHasSuffixFold(sub, "+xml") {
		return true
	}
	if !strings.EqualFold(typ, "text") && !strings.EqualFold(typ, "application") {
		return false
	}
	for _, s := range [...]string{"html", "xml", "xsl", "xslt", "javascript", "x-javascript", "ecmascript"} {
		if strings.EqualFold(sub, s) {
			return true
		}
	}
	return false
}

// WithCharset returns ctype with "; charset=utf-8" appended when it is a
// text type without a charset parameter, and ctype unchanged otherwise.
// It does not allocate for the types GuessType returns.
//
// Text types are:
//
//   - text/*, including text/html, text/css, text/javascript;
//   - every structured-syntax +xml and +json type (RFC 6839), including
//     image/svg+xml, application/xhtml+xml and application/ld+json;
//   - application/ecmascript, javascript, x-javascript, json, x-ndjson,
//     xml, xml-dtd, xml-external-parsed-entity, sql, x-sh, x-latex, x-ruby
//     and x-subrip.
//
// Compression is not seen here: "x.svgz" is image/svg+xml for Python too,
// so its gzip bytes are labelled image/svg+xml; charset=utf-8.
func WithCharset(ctype string) string {
	if s, ok := mimeCharsetCache[ctype]; ok {
		return s
	}
	return mimeAddCharset(ctype)
}

// mimeAddCharset is WithCharset without the cache.
func mimeAddCharset(ctype string) string {
	base, params, _ := strings.Cut(ctype, ";")
	if !mimeIsText(strings.TrimSpace(base)) || mimeHasCharset(params) {
		return ctype
	}
	return strings.TrimRight(ctype, " \t;") + mimeCharsetUTF8
}

// mimeCharsetCache maps each type in the tables to its WithCharset result,
// so the common case costs one map lookup and no allocation.
var mimeCharsetCache = func() map[string]string {
	m := make(map[string]string)
	for _, table := range []map[string]string{mimeServerExtensions, mimeTypes} {
		for _, t := range table {
			m[t] = mimeAddCharset(t)
		}
	}
	m[mimeOctetStream] = mimeOctetStream
	m[mimeTextPlainUTF8] = mimeTextPlainUTF8
	return m
}()

// mimeTextApplication lists the application/* subtypes, beyond +xml and
// +json, that WithCharset treats as text.
var mimeTextApplication = [...]string{
	"ecmascript",
	"javascript",
	"x-javascript",
	"json",
	"x-ndjson",
	"xml",
	"xml-dtd",
	"xml-external-parsed-entity",
	"sql",
	"x-sh",
	"x-latex",
	"x-ruby",
	"x-subrip",
}

// mimeIsText reports whether t, a type/subtype without parameters, is
// a text type as documented on WithCharset. Media types are compared
// case-insensitively (RFC 9110 section 8.3.1).
func mimeIsText(t string) bool {
	typ, sub, ok := strings.Cut(t, "/")
	if !ok || sub == "" {
		return false
	}
	if strings.EqualFold(typ, "text") {
		return true
	}
	if mimeHasSuffixFold(sub, "+xml") || mimeHasSuffixFold(sub, "+json") {
		return true
	}
	if !strings.EqualFold(typ, "application") {
		return false
	}
	for _, s := range mimeTextApplication {
		if strings.EqualFold(sub, s) {
			return true
		}
	}
	return false
}

// mimeHasCharset reports whether params, the part of a media type after its
// first ";", has a charset parameter.
func mimeHasCharset(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		if k, _, ok := strings.Cut(p, "="); ok && strings.EqualFold(strings.TrimSpace(k), "charset") {
			return true
		}
	}
	return false
}

// mimeBase returns the type/subtype of a media type, without parameters.
func mimeBase(t string) string {
	t, _, _ = strings.Cut(t, ";")
	return strings.TrimSpace(t)
}

// mimeHasSuffixFold is strings.HasSuffix, ignoring ASCII case.
func mimeHasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// ContentType is the Content-Type for serving a file: [GuessType] from the
// name, else [SniffType] of head(), which is called only then and may be
// nil; the result goes through [WithCharset]. It is never empty.
func ContentType(name string, head func() []byte) string {
	if t, ok := GuessType(name); ok {
		return WithCharset(t)
	}
	if head == nil {
		return mimeOctetStream
	}
	return WithCharset(SniffType(head()))
}
