// Range requests (RFC 9110 section 14).
//
// A GET or HEAD of a file may ask for parts of it:
//
//	Range: bytes=0-99        the first 100 bytes
//	Range: bytes=100-        from byte 100 to the end
//	Range: bytes=-500        the last 500 bytes
//	Range: bytes=0-0,-1      the first and the last byte
//
// The rules, with the RFC's words where it leaves a choice:
//
//   - Only the unit "bytes" (any case) is known; another unit, a syntax
//     error anywhere in the list, or a range whose last byte comes before
//     its first ("5-3") makes the whole field ignored: 200 with the file.
//     Optional white space around the commas is allowed, empty elements
//     are skipped, and a second Range field line is ignored with the
//     first.
//   - A last-byte-pos past the end means the end; a suffix longer than
//     the file means the whole file. A first-byte-pos at or past the end,
//     and "-0", are unsatisfiable; when every range is, the answer is 416
//     with Content-Range: bytes */SIZE.
//   - An empty file has no byte to send: a range set whose only
//     satisfiable ranges are suffixes ("-5") is ignored, since a 206 could
//     not express an empty range; any other set is unsatisfiable (416).
//   - Ranges that overlap or touch are coalesced (section 15.3.7.2 allows
//     it), in file order; otherwise the parts keep the client's order.
//     More than maxRanges parts after that, or more than maxRangeSpecs
//     ranges in the field, make the field ignored (section 14.2: a server
//     MAY ignore such a set, a sign of a broken client or a
//     denial-of-service attempt). So a Range field can never make the
//     answer much larger than the file: hundreds of overlapping ranges
//     become one.
//   - One range is answered with 206, Content-Range and its bytes; several
//     with a multipart/byteranges body (section 14.6) whose length is
//     computed before it is sent, so it has a Content-Length too.
//   - If-Range (conditional.go) that does not match makes the field
//     ignored. Ranges apply to files only, never to listings, and only to
//     the identity coding: a request with Range is never compressed.
//   - HEAD with Range gets the headers GET would get, 206 included, as
//     net/http and nginx answer. (Section 14.2 defines ranges for GET
//     only; section 9.3.2 asks HEAD to send GET's header fields.)

package simplehandler

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/httpserve/httpserve/basehandler"
)

const (
	// maxRanges is the most parts a multipart/byteranges answer has after
	// coalescing: real clients (PDF readers, download managers) ask for a
	// handful.
	maxRanges = 16
	// maxRangeSpecs is the most ranges a Range field may list, coalesced
	// or not, before it is ignored unread.
	maxRangeSpecs = 128
)

// httpRange is one satisfiable range, its bytes [start, start+length).
type httpRange struct {
	start, length int64
}

// contentRange is the Content-Range of r in a file of size bytes:
// "bytes FIRST-LAST/SIZE" (RFC 9110 section 14.4).
func (r httpRange) contentRange(size int64) string {
	var b [3*20 + 8]byte
	return string(r.appendContentRange(b[:0], size))
}

func (r httpRange) appendContentRange(b []byte, size int64) []byte {
	b = append(b, "bytes "...)
	b = strconv.AppendInt(b, r.start, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, r.start+r.length-1, 10)
	b = append(b, '/')
	return strconv.AppendInt(b, size, 10)
}

// rangeOutcome is what parseRange makes of a Range field.
type rangeOutcome int

const (
	rangeIgnored       rangeOutcome = iota // send the whole file, 200
	rangeUnsatisfiable                     // 416
	rangeSatisfiable                       // 206
)

// parseRange parses the Range field value s for a file of size bytes,
// appending the ranges to send to dst:
//
//	Range        = ranges-specifier
//	ranges-specifier = range-unit "=" range-set
//	range-set    = 1#range-spec
//	range-spec   = int-range / suffix-range / other-range
//	int-range    = first-pos "-" [ last-pos ]
//	suffix-range = "-" suffix-length
//
// The file comment of range.go gives the rules.
func parseRange(s string, size int64, dst []httpRange) ([]httpRange, rangeOutcome) {
	unit, set, ok := strings.Cut(s, "=")
	if !ok || !strings.EqualFold(unit, "bytes") {
		return dst, rangeIgnored // RFC 9110 section 14.2: an unknown unit is ignored
	}
	if strings.Count(set, ",") >= maxRangeSpecs {
		return dst, rangeIgnored
	}
	start := len(dst)
	specs := 0
	emptySuffix := false // a satisfiable suffix-range of an empty file
	for set != "" {
		var spec string
		spec, set, _ = strings.Cut(set, ",")
		spec = trimOWS(spec)
		if spec == "" {
			continue // RFC 9110 section 5.6.1.2: empty list elements are skipped
		}
		specs++
		first, last, ok := strings.Cut(spec, "-")
		if !ok {
			return dst[:start], rangeIgnored
		}
		if first == "" {
			n, ok := parseDigits(last)
			switch {
			case !ok:
				return dst[:start], rangeIgnored
			case n == 0:
				// "-0" asks for no bytes: unsatisfiable.
			case size == 0:
				emptySuffix = true
			default:
				n = min(n, size)
				dst = append(dst, httpRange{start: size - n, length: n})
			}
			continue
		}
		from, ok := parseDigits(first)
		if !ok {
			return dst[:start], rangeIgnored
		}
		to := int64(math.MaxInt64)
		if last != "" {
			if to, ok = parseDigits(last); !ok || to < from {
				return dst[:start], rangeIgnored
			}
		}
		if from >= size {
			continue // unsatisfiable; another range may be
		}
		to = min(to, size-1)
		dst = append(dst, httpRange{start: from, length: to - from + 1})
	}
	ranges := dst[start:]
	switch {
	case specs == 0:
		return dst, rangeIgnored // "bytes=": 1#range-spec needs one
	case len(ranges) == 0 && emptySuffix:
		return dst, rangeIgnored
	case len(ranges) == 0:
		return dst, rangeUnsatisfiable
	}
	ranges = coalesce(ranges)
	if len(ranges) > maxRanges {
		return dst[:start], rangeIgnored
	}
	return dst[:start+len(ranges)], rangeSatisfiable
}

// parseDigits parses 1*DIGIT, saturating at math.MaxInt64: a position too
// large to represent is still past the end of any file.
func parseDigits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxInt64-int64(c-'0'))/10 {
			n = math.MaxInt64
			continue
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// coalesce merges, in place, ranges that overlap or touch, and returns
// them in file order; ranges that neither overlap nor touch keep the
// order the client gave (RFC 9110 section 15.3.7.2: the parts SHOULD come
// in the requested order, and MAY be coalesced).
func coalesce(ranges []httpRange) []httpRange {
	apart := true // in file order, with gaps between: the common case
	for i := 1; i < len(ranges) && apart; i++ {
		apart = ranges[i].start > ranges[i-1].start+ranges[i-1].length
	}
	if apart {
		return ranges
	}
	sorted := slices.Clone(ranges)
	slices.SortFunc(sorted, func(a, b httpRange) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
	merged := sorted[:1]
	for _, r := range sorted[1:] {
		last := &merged[len(merged)-1]
		if end := last.start + last.length; r.start <= end {
			last.length = max(end, r.start+r.length) - last.start
			continue
		}
		merged = append(merged, r)
	}
	if len(merged) == len(ranges) {
		return ranges // nothing to merge: the client's order
	}
	return ranges[:copy(ranges, merged)]
}

// multipartRanges is a multipart/byteranges body (RFC 9110 section 14.6)
// of a file: each part a boundary line, Content-Type and Content-Range,
// an empty line and the bytes. The CRLF before each boundary belongs to
// the boundary (RFC 2046 section 5.1.1):
//
//	--BOUNDARY
//	Content-Type: text/plain; charset=utf-8
//	Content-Range: bytes 0-99/1000
//
//	...100 bytes...
//	--BOUNDARY
//	...
//	--BOUNDARY--
type multipartRanges struct {
	ranges   []httpRange
	boundary string
	ctype    string // the file's type, repeated in each part
	size     int64
}

// newBoundary returns a random boundary: 24 hex digits, which no file
// will hold by chance at the start of a line.
func newBoundary() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// contentType is the Content-Type of the whole body.
func (m *multipartRanges) contentType() string {
	return "multipart/byteranges; boundary=" + m.boundary
}

// appendPartHead appends the lines before part i's bytes.
func (m *multipartRanges) appendPartHead(b []byte, i int) []byte {
	if i > 0 {
		b = append(b, "\r\n"...)
	}
	b = append(b, "--"...)
	b = append(b, m.boundary...)
	b = append(b, "\r\nContent-Type: "...)
	b = append(b, m.ctype...)
	b = append(b, "\r\nContent-Range: "...)
	b = m.ranges[i].appendContentRange(b, m.size)
	return append(b, "\r\n\r\n"...)
}

// appendTail appends the closing boundary.
func (m *multipartRanges) appendTail(b []byte) []byte {
	b = append(b, "\r\n--"...)
	b = append(b, m.boundary...)
	return append(b, "--\r\n"...)
}

// contentLength is the length of the whole body, computed before anything
// is sent, from the very bytes send writes.
func (m *multipartRanges) contentLength() int64 {
	var n int64
	buf := make([]byte, 0, 256)
	for i, r := range m.ranges {
		n += int64(len(m.appendPartHead(buf[:0], i))) + r.length
	}
	return n + int64(len(m.appendTail(buf[:0])))
}

// send writes the body: each part's head, then its bytes from f, which
// io.Copy hands to [basehandler.Response.ReadFrom] as an
// *io.LimitedReader over the file.
func (m *multipartRanges) send(w io.Writer, f *os.File) error {
	buf := make([]byte, 0, 256)
	for i, r := range m.ranges {
		if _, err := w.Write(m.appendPartHead(buf[:0], i)); err != nil {
			return err
		}
		if _, err := f.Seek(r.start, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.Copy(w, io.LimitReader(f, r.length)); err != nil {
			return err
		}
	}
	_, err := w.Write(m.appendTail(buf[:0]))
	return err
}

// sendRangeNotSatisfiable answers 416 with the size the client can ask
// within (RFC 9110 section 15.5.17).
func (h *Handler) sendRangeNotSatisfiable(w *basehandler.Response, size int64) {
	w.SendResponse(http.StatusRequestedRangeNotSatisfiable)
	var b [32]byte
	w.SendHeader("Content-Range", string(strconv.AppendInt(append(b[:0], "bytes */"...), size, 10)))
	w.SendHeader("Content-Length", "0")
	w.EndHeaders()
}
