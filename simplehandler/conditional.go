// Conditional requests (RFC 9110 section 13).
//
// A served file has two validators: Last-Modified, its modification time
// to the second, and a strong ETag made from its modification time in
// nanoseconds, its size and its inode number ([fileETag]). Nothing is
// hashed, so validating costs the stat the handler makes anyway; a file
// rewritten in place with the same size within the same nanosecond, on a
// file system that reuses the inode, is the one change the tag can miss.
//
// The preconditions are evaluated as net/http's checkPreconditions does,
// one function per header field returning a [condResult], in the order of
// RFC 9110 section 13.2.2:
//
//  1. If-Match, or when it is absent If-Unmodified-Since: false is 412.
//  2. If-None-Match: false is 304 for GET and HEAD, 412 for the rest.
//  3. If-Modified-Since, only when If-None-Match is absent (Python's rule,
//     and RFC 9110 section 13.1.3's) and only for GET and HEAD: false is
//     304.
//  4. If-Range decides whether Range is honoured (range.go).
//
// Python evaluates If-Modified-Since alone. Dates are compared to the
// second, because Last-Modified has one-second resolution: a file
// modified at 03:04:05.5 is not newer than "03:04:05 GMT".

package simplehandler

import (
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// condResult is the outcome of one precondition: the header is absent
// (or ignored), its condition holds, or it does not.
type condResult int

const (
	condNone condResult = iota
	condTrue
	condFalse
)

// validators are what a representation is compared by: its strong ETag
// (quotes included) and its modification time.
type validators struct {
	etag    string
	modtime time.Time
}

// fileETag is the strong entity tag of a file (RFC 9110 section 8.8.3):
// its modification time in nanoseconds, its size and its inode number, in
// hex, as "mtime-size-inode". A coding applied on the fly is added as a
// suffix ("…-gzip"), so that the compressed and the identity bytes never
// share a tag: a strong tag names one sequence of bytes.
func fileETag(info fs.FileInfo, coding string) string {
	var b [80]byte
	e := append(b[:0], '"')
	e = strconv.AppendInt(e, info.ModTime().UnixNano(), 16)
	e = append(e, '-')
	e = strconv.AppendInt(e, info.Size(), 16)
	if ino, ok := inode(info); ok {
		e = append(e, '-')
		e = strconv.AppendUint(e, ino, 16)
	}
	if coding != "" {
		e = append(e, '-')
		e = append(e, coding...)
	}
	return string(append(e, '"'))
}

// checkPreconditions evaluates the preconditions of a GET or HEAD (or any
// other method) on a representation with validators v, in the order of RFC
// 9110 section 13.2.2, and returns the status that ends the request there
// (304 or 412), or 0 to go on.
func checkPreconditions(header http.Header, method string, v validators) int {
	ch := checkIfMatch(header, v.etag)
	if ch == condNone {
		ch = checkIfUnmodifiedSince(header, v.modtime)
	}
	if ch == condFalse {
		return http.StatusPreconditionFailed
	}
	safe := method == http.MethodGet || method == http.MethodHead
	switch checkIfNoneMatch(header, v.etag) {
	case condFalse:
		if safe {
			return http.StatusNotModified
		}
		return http.StatusPreconditionFailed
	case condNone:
		// Python tests for the field's presence, not its value: an
		// empty If-None-Match still turns If-Modified-Since off.
		if _, present := header["If-None-Match"]; !present && safe &&
			checkIfModifiedSince(header, v.modtime) == condFalse {
			return http.StatusNotModified
		}
	}
	return 0
}

// checkIfMatch is If-Match (RFC 9110 section 13.1.1): true when "*" or
// one of the listed tags matches etag by strong comparison.
func checkIfMatch(header http.Header, etag string) condResult {
	present, matched := matchETagList(header["If-Match"], etag, strongMatch)
	switch {
	case !present:
		return condNone
	case matched:
		return condTrue
	}
	return condFalse
}

// checkIfNoneMatch is If-None-Match (RFC 9110 section 13.1.2): false when
// "*" or one of the listed tags matches etag by weak comparison, since the
// client has that representation already.
func checkIfNoneMatch(header http.Header, etag string) condResult {
	present, matched := matchETagList(header["If-None-Match"], etag, weakMatch)
	switch {
	case !present:
		return condNone
	case matched:
		return condFalse
	}
	return condTrue
}

// matchETagList reads an entity-tag list field, every field line of it
// (a list field's lines form one list): present is false when the field
// is absent or empty, and matched is true when a member is "*" or a tag
// that match accepts against etag.
func matchETagList(lines []string, etag string, match func(a, b string) bool) (present, matched bool) {
	if len(lines) == 0 || (len(lines) == 1 && trimOWS(lines[0]) == "") {
		return false, false
	}
	for _, s := range lines {
		for {
			s = trimOWS(s)
			if s == "" {
				break
			}
			if s[0] == ',' {
				s = s[1:]
				continue
			}
			if s[0] == '*' {
				return true, true
			}
			tag, rest := scanETag(s)
			if tag == "" {
				break // not an entity-tag: the rest of the line cannot match
			}
			if match(tag, etag) {
				return true, true
			}
			s = rest
		}
	}
	return true, false
}

// checkIfUnmodifiedSince is If-Unmodified-Since (RFC 9110 section
// 13.1.4): true when the file was not modified after the date. A value
// that is not an HTTP date is ignored, as the RFC requires.
func checkIfUnmodifiedSince(header http.Header, modtime time.Time) condResult {
	v := header["If-Unmodified-Since"]
	if len(v) == 0 {
		return condNone
	}
	t, ok := parseHTTPDate(v[0])
	if !ok {
		return condNone
	}
	if modtime.Truncate(time.Second).After(t) {
		return condFalse
	}
	return condTrue
}

// checkIfModifiedSince is If-Modified-Since (RFC 9110 section 13.1.3), as
// Python's send_head reads it: the first field line, a date in UTC, and
// false (304) when the file is not newer than the date to the second.
func checkIfModifiedSince(header http.Header, modtime time.Time) condResult {
	v := header["If-Modified-Since"]
	if len(v) == 0 {
		return condNone
	}
	t, ok := parseHTTPDate(v[0])
	if !ok {
		return condNone
	}
	if modtime.Truncate(time.Second).After(t) {
		return condTrue
	}
	return condFalse
}

// checkIfRange is If-Range (RFC 9110 section 13.1.5): whether a Range is
// honoured. An entity tag must match etag by strong comparison (a weak tag
// never does); a date must equal the modification time to the second. The
// field is ignored (condNone) when absent; anything else, a second field
// line included, is false, and the whole representation is sent.
func checkIfRange(header http.Header, v validators) condResult {
	lines := header["If-Range"]
	switch len(lines) {
	case 0:
		return condNone
	case 1:
	default:
		return condFalse
	}
	s := trimOWS(lines[0])
	if tag, rest := scanETag(s); tag != "" {
		if rest == "" && strongMatch(tag, v.etag) {
			return condTrue
		}
		return condFalse
	}
	t, ok := parseHTTPDate(s)
	if ok && v.modtime.Truncate(time.Second).Equal(t) {
		return condTrue
	}
	return condFalse
}

// scanETag reads the entity-tag at the start of s and returns it (W/ and
// quotes included) with the rest of s, or "" when s does not start with
// one (RFC 9110 section 8.8.3):
//
//	entity-tag = [ weak ] opaque-tag
//	weak       = %s"W/"
//	opaque-tag = DQUOTE *etagc DQUOTE
//	etagc      = %x21 / %x23-7E / obs-text
func scanETag(s string) (etag, rest string) {
	start := 0
	if strings.HasPrefix(s, "W/") {
		start = 2
	}
	if len(s)-start < 2 || s[start] != '"' {
		return "", ""
	}
	for i := start + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return s[:i+1], s[i+1:]
		case c == 0x21 || c >= 0x23 && c != 0x7f:
		default:
			return "", ""
		}
	}
	return "", ""
}

// strongMatch is the strong comparison of RFC 9110 section 8.8.3.2: both
// tags strong and their opaque-tags equal.
func strongMatch(a, b string) bool {
	return a == b && a != "" && a[0] == '"'
}

// weakMatch is the weak comparison: the opaque-tags equal, W/ or not.
func weakMatch(a, b string) bool {
	return strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}

// trimOWS drops the optional white space (SP and HTAB) around s (RFC 9110
// section 5.6.3).
func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// parseHTTPDate parses an HTTP date as Python's send_head accepts it.
//
// Python parses with email.utils.parsedate_to_datetime, a lenient RFC 5322
// parser, and uses the result only when it is in UTC or has no zone (an
// obsolete form taken as UTC, RFC 9110 section 5.6.7). Here the date must
// be in one of the three forms RFC 9110 names (IMF-fixdate, RFC 850,
// asctime, as [http.ParseTime] reads them), and its zone must be UTC.
// Other forms are ignored, which costs the client a full response, never a
// wrong 304.
func parseHTTPDate(s string) (time.Time, bool) {
	t, err := http.ParseTime(s)
	if err != nil {
		return time.Time{}, false
	}
	// time.Parse gives a zone it does not know ("EST", "+07") a zero
	// offset, so the zone is checked by name: only a date said to be in
	// UTC is used.
	switch name, offset := t.Zone(); {
	case offset != 0:
		return time.Time{}, false
	case name == "UTC", name == "GMT", name == "UT":
		return t, true
	}
	return time.Time{}, false
}
