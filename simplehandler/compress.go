// Compression (--compress, [Handler.Compress]).
//
// With Compress set, a file may be sent in a content coding (RFC 9110
// section 8.4) the client accepts:
//
//  1. A precompressed sibling: for "app.js", the file "app.js.zst",
//     "app.js.br" or "app.js.gz", when the client accepts that coding,
//     the sibling is a regular file and it is not older than the file
//     (an edited file with a stale sibling is sent as it is). Its bytes
//     are sent with Content-Encoding, the original's Content-Type, and its
//     own Content-Length. Any type qualifies: whoever made the sibling
//     thought it worth it.
//  2. Otherwise, a file of a compressible type (compressibleType) of at
//     least minCompressSize bytes is compressed as it is sent, with zstd
//     or gzip (github.com/klauspost/compress). The length is not known in
//     advance, so there is no Content-Length: basehandler frames the body
//     with chunked coding, or by closing the connection for HTTP/1.0.
//
// The coding is chosen from Accept-Encoding (RFC 9110 section 12.5.3) by
// q-value; among equal q-values zstd comes first, then br (siblings only;
// there is no brotli encoder here), then gzip, and a sibling before
// compressing on the fly. A coding whose q-value is below that of a named
// "identity" is not used. A request without Accept-Encoding, or with Range, gets the
// identity coding: ranges are of the identity bytes only.
//
// Each coding is its own representation with its own strong ETag: an
// on-the-fly coding adds "-zstd" or "-gzip" to the file's tag, and a
// sibling has the tag of its own file, with the coding added. If-None-Match
// and the other preconditions compare the tag of the representation
// chosen, so a client that cached the gzip bytes revalidates them with the
// tag it got. Responses that could have been coded differently for
// another client carry Vary: Accept-Encoding, their 304s too.
//
// Listings, rendered in memory, are compressed into memory when they are
// at least minCompressSize bytes, and keep their Content-Length.

package simplehandler

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/httpserve/httpserve/basehandler"
)

// minCompressSize is the smallest file compressed on the fly: below about
// a kilobyte the coding's framing and the extra chunking eat the gain.
const minCompressSize = 1 << 10

// A coding is a content coding httpserve can send.
type coding uint8

const (
	identity coding = iota
	codingZstd
	codingBrotli // precompressed siblings only
	codingGzip
	numCodings
)

// token is the coding's name in Accept-Encoding and Content-Encoding.
func (c coding) token() string {
	return [...]string{"", "zstd", "br", "gzip"}[c]
}

// ext is the extension of a precompressed sibling in this coding.
func (c coding) ext() string {
	return [...]string{"", ".zst", ".br", ".gz"}[c]
}

// onTheFly reports whether httpserve can compress into c itself.
func (c coding) onTheFly() bool { return c == codingZstd || c == codingGzip }

// acceptedCodings is the client's list of codings in order of preference,
// each with a q-value above 0 and not below identity's.
type acceptedCodings struct {
	list [numCodings - 1]coding
	n    int
}

func (a *acceptedCodings) all() []coding { return a.list[:a.n] }

// parseAcceptEncoding reads the Accept-Encoding field lines (RFC 9110
// section 12.5.3):
//
//	Accept-Encoding = #( codings [ weight ] )
//	codings         = content-coding / "identity" / "*"
//	weight          = OWS ";" OWS "q=" qvalue
//
// A coding not named takes the q-value of "*" if there is one, else 0. A
// coding whose q-value is below that of "identity", when identity is
// named, is dropped: the client prefers the bytes as they are. (The
// identity is always acceptable here: without a coding the client takes,
// the file is sent as it is, which RFC 9110 section 12.5.3 recommends
// over 406.) "x-gzip" is gzip (section 8.4.1.3). An element whose weight
// does not parse counts as q=0, so a malformed element never selects a
// coding.
func parseAcceptEncoding(lines []string) acceptedCodings {
	const unset = -1
	var q [numCodings]int // in thousandths, by coding; q[identity] for identity
	for i := range q {
		q[i] = unset
	}
	star := unset
	for _, s := range lines {
		for s != "" {
			var elem string
			elem, s, _ = strings.Cut(s, ",")
			name, params, _ := strings.Cut(elem, ";")
			name = trimOWS(name)
			if name == "" {
				continue
			}
			w := 1000
			for params != "" {
				var p string
				p, params, _ = strings.Cut(params, ";")
				k, v, _ := strings.Cut(trimOWS(p), "=")
				if strings.EqualFold(trimOWS(k), "q") {
					var ok bool
					if w, ok = parseQValue(trimOWS(v)); !ok {
						w = 0
					}
				}
			}
			switch {
			case name == "*":
				star = w
			case strings.EqualFold(name, "identity"):
				q[identity] = w
			case strings.EqualFold(name, "zstd"):
				q[codingZstd] = w
			case strings.EqualFold(name, "br"):
				q[codingBrotli] = w
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				q[codingGzip] = max(q[codingGzip], w)
			}
		}
	}
	for c := codingZstd; c < numCodings; c++ {
		if q[c] == unset {
			q[c] = max(star, 0)
		}
	}
	var a acceptedCodings
	for c := codingZstd; c < numCodings; c++ {
		if q[c] > 0 && q[c] >= q[identity] { // unset, -1, when identity is not named
			a.list[a.n] = c
			a.n++
		}
	}
	// Highest q-value first; the order above (zstd, br, gzip) breaks ties.
	list := a.all()
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && q[list[j]] > q[list[j-1]]; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	return a
}

// parseQValue parses a qvalue (RFC 9110 section 12.4.2) into thousandths:
//
//	qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
func parseQValue(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q, true
	}
	if s[1] != '.' || len(s) > 5 {
		return 0, false
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || (q == 1000 && c != '0') {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	return q, true
}

// compressibleType reports whether a file of type ctype, named name, is
// worth compressing on the fly: text of every kind (text/*, the +xml and
// +json types, JavaScript, JSON, XML, SVG), WebAssembly, and a few binary
// formats stored without compression (uncompressed fonts, icons, BMP,
// tar). Images, audio, video, archives and fonts such as WOFF are
// compressed already. A name ending in a compression extension is never
// compressed again, whatever its type: Python types "x.svgz" as
// image/svg+xml and "app.js.br" as text/javascript, though their bytes are
// compressed.
func compressibleType(ctype, name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".gz", ".tgz", ".svgz", ".z", ".bz2", ".tbz2", ".xz", ".txz", ".br", ".zst", ".lz", ".lzma", ".zip", ".7z":
		return false
	}
	base := mimeBase(ctype)
	if mimeIsText(base) {
		return true
	}
	switch strings.ToLower(base) {
	case "application/wasm", "application/x-tar", "application/postscript", "application/rtf",
		"application/x-tex", "application/x-csh", "application/toml", "application/yaml", "application/x-yaml",
		"font/ttf", "font/otf", "font/collection", "application/vnd.ms-fontobject",
		"application/x-font-ttf", "application/x-font-otf",
		"image/bmp", "image/x-ms-bmp", "image/x-icon", "image/vnd.microsoft.icon":
		return true
	}
	return false
}

// representation is what a file is sent as: the file itself, a
// precompressed sibling, or the file compressed on the fly.
type representation struct {
	f        *os.File
	info     fs.FileInfo
	coding   coding // Content-Encoding; identity for none
	onTheFly bool   // f is the original, compressed as it is sent
	vary     bool   // another client could get another coding: Vary: Accept-Encoding
}

// etag is the representation's strong ETag.
func (r *representation) etag() string {
	return fileETag(r.info, r.coding.token())
}

// negotiate chooses the representation of the file f (info, named rel, of
// type ctype) for r. It returns the identity unless Compress is set. When
// it picks a sibling it closes f.
func (h *Handler) negotiate(w *basehandler.Response, r *basehandler.Request, rel, ctype string, f *os.File, info fs.FileInfo) representation {
	rep := representation{f: f, info: info}
	if !h.Compress {
		return rep
	}
	compressible := info.Size() >= minCompressSize && compressibleType(ctype, rel)
	rep.vary = compressible
	if _, ranged := r.Header["Range"]; ranged {
		return rep
	}
	lines, ok := r.Header["Accept-Encoding"]
	if !ok {
		return rep
	}
	accepted := parseAcceptEncoding(lines)
	for _, c := range accepted.all() {
		if sib, sinfo := h.openSibling(w, rel+c.ext(), info); sib != nil {
			f.Close()
			return representation{f: sib, info: sinfo, coding: c, vary: true}
		}
	}
	if compressible {
		for _, c := range accepted.all() {
			if c.onTheFly() {
				rep.coding, rep.onTheFly = c, true
				break
			}
		}
	}
	return rep
}

// openSibling opens the precompressed sibling name of the file orig, with
// the symlink policy of every file, or returns nil when there is no such
// regular file or it is older than orig.
func (h *Handler) openSibling(w *basehandler.Response, name string, orig fs.FileInfo) (*os.File, fs.FileInfo) {
	f, err := h.open(w, name)
	if err != nil {
		return nil, nil
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.ModTime().Before(orig.ModTime()) {
		f.Close()
		return nil, nil
	}
	return f, info
}

// Encoders are kept between responses: each holds a megabyte or two of
// tables and buffers.
var (
	gzipPool = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression) // the level is valid
		return zw
	}}
	zstdPool = sync.Pool{New: func() any {
		// One goroutine per encoder: the response's goroutine. The
		// window is 512 KiB, far below the 8 MiB RFC 9659 allows HTTP
		// content: with the default 8 MiB an encoder holds 18 MiB, with
		// this about 2 MiB (twice a gzip encoder), and web assets are
		// rarely larger than the window anyway.
		zw, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1),
			zstd.WithWindowSize(512<<10), zstd.WithLowerEncoderMem(true))
		return zw
	}}
	copyBufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}
)

// readerOnly hides the WriteTo of an *os.File, whose fallback would
// allocate a buffer of its own.
type readerOnly struct{ io.Reader }

// compressTo writes src to w compressed with c.
func compressTo(w io.Writer, c coding, src io.Reader) error {
	switch c {
	case codingZstd:
		zw := zstdPool.Get().(*zstd.Encoder)
		defer zstdPool.Put(zw)
		zw.Reset(w)
		_, err := zw.ReadFrom(src)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
		zw.Reset(nil) // drop w
		return err
	case codingGzip:
		zw := gzipPool.Get().(*gzip.Writer)
		defer gzipPool.Put(zw)
		zw.Reset(w)
		buf := copyBufPool.Get().(*[]byte)
		defer copyBufPool.Put(buf)
		_, err := io.CopyBuffer(zw, readerOnly{src}, *buf)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
		zw.Reset(io.Discard) // drop w
		return err
	}
	_, err := io.Copy(w, src)
	return err
}

// appendCompressed appends src compressed with c to dst.
func appendCompressed(dst, src []byte, c coding) []byte {
	switch c {
	case codingZstd:
		zw := zstdPool.Get().(*zstd.Encoder)
		defer zstdPool.Put(zw)
		return zw.EncodeAll(src, dst)
	case codingGzip:
		w := appendWriter{dst}
		compressTo(&w, c, bytes.NewReader(src))
		return w.b
	}
	return append(dst, src...)
}

// appendWriter is an io.Writer that appends to a byte slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
