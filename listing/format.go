package listing

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file formats what httpserve's page and the JSON listing add to
// Python's: sizes, times and the decoded path. Times are formatted by
// hand, as net/http writes its Date header into a fixed buffer: with
// two per entry, time.Format would cost more than the rest of a line.

// appendInt appends n in decimal.
func appendInt(dst []byte, n int64) []byte { return strconv.AppendInt(dst, n, 10) }

// appendSize appends a size of n bytes as people read it, in binary
// units with two or three significant digits: "0 B", "1023 B",
// "1.0 KiB", "9.9 KiB", "10 KiB", "1023 KiB", "1.0 MiB", and so on up
// to EiB.
func appendSize(dst []byte, n int64) []byte {
	if n < 1024 {
		dst = appendInt(dst, n)
		return append(dst, " B"...)
	}
	const units = "KMGTPE"
	f, u := float64(n)/1024, 0
	for f >= 1023.5 && u < len(units)-1 { // would round to 1024
		f /= 1024
		u++
	}
	prec := 0
	if f < 9.95 { // would round to 10.0
		prec = 1
	}
	dst = strconv.AppendFloat(dst, f, 'f', prec, 64)
	return append(dst, ' ', units[u], 'i', 'B')
}

// knownTime reports whether t is a modification time the listing shows:
// not the zero Time (Read could not stat the entry) and, in UTC, within
// the years 0000 to 9999 that RFC 3339 can write.
func knownTime(t time.Time) bool {
	y := t.UTC().Year()
	return !t.IsZero() && 0 <= y && y <= 9999
}

// appendRFC3339 appends t in UTC as RFC 3339 to the second, as
// time.RFC3339 formats it: 2006-01-02T15:04:05Z. t must be knownTime.
func appendRFC3339(dst []byte, t time.Time) []byte {
	c := clockOf(t)
	return c.appendRFC3339(dst)
}

// appendTimeElement appends the <time> element of httpserve's page for
// t, which must be knownTime: the time to the second in the datetime
// attribute, to the minute in the text, both in UTC.
//
//	<time datetime="2006-01-02T15:04:05Z">2006-01-02 15:04</time>
func appendTimeElement(dst []byte, t time.Time) []byte {
	c := clockOf(t)
	dst = append(dst, `<time datetime="`...)
	dst = c.appendRFC3339(dst)
	dst = append(dst, `">`...)
	dst = append(c.appendDate(dst), ' ')
	dst = append(append2(dst, c.hour), ':')
	dst = append2(dst, c.min)
	return append(dst, "</time>"...)
}

// clock is a time in UTC, split into its fields once.
type clock struct {
	year, month, day, hour, min, sec int
}

func clockOf(t time.Time) clock {
	t = t.UTC()
	y, mon, d := t.Date()
	h, m, s := t.Clock()
	return clock{y, int(mon), d, h, m, s}
}

// appendRFC3339 appends 2006-01-02T15:04:05Z.
func (c *clock) appendRFC3339(dst []byte) []byte {
	dst = append(c.appendDate(dst), 'T')
	dst = append(append2(dst, c.hour), ':')
	dst = append(append2(dst, c.min), ':')
	return append(append2(dst, c.sec), 'Z')
}

// appendDate appends 2006-01-02. The year must be 0 to 9999.
func (c *clock) appendDate(dst []byte) []byte {
	dst = append2(append2(dst, c.year/100), c.year%100)
	dst = append(append2(append(dst, '-'), c.month), '-')
	return append2(dst, c.day)
}

// append2 appends n, 0 to 99, in two digits.
func append2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}

// decodePath returns the path part of a request target (up to the
// first "?" or "#"), percent-decoded, as UTF-8: each ill-formed
// sequence of the decoded bytes becomes U+FFFD, as in names. A byte
// above 0x7F that the client sent unencoded counts as that byte, not
// as the Latin-1 character of Python's title.
func decodePath(target string) string {
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	if !strings.Contains(target, "%") && utf8.ValidString(target) {
		return target
	}
	raw := unquoteToBytes(nil, target)
	return string(appendValidUTF8(nil, string(raw)))
}

// appendDecodedPath appends decodePath(target), HTML-escaped as Python
// escapes text.
func appendDecodedPath(dst []byte, target string) []byte {
	return appendEscaped(dst, decodePath(target))
}
