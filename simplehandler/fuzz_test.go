package simplehandler

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the parsers of request header fields: Accept-Encoding
// (parseAcceptEncoding), the entity-tag lists of If-Match and
// If-None-Match (matchETagList), and HTTP dates (parseHTTPDate). Each is
// checked against a reference written here, and against invariants.

// refQValue is a qvalue (RFC 9110 section 12.4.2) in thousandths.
var refQValue = regexp.MustCompile(`^(?:0(?:\.([0-9]{0,3}))?|1(?:\.0{0,3})?)$`)

func refParseQValue(s string) (int, bool) {
	m := refQValue.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	if s[0] == '1' {
		return 1000, true
	}
	n, _ := strconv.Atoi(m[1] + "000"[len(m[1]):])
	return n, true
}

// refAcceptEncoding is parseAcceptEncoding's documentation as a
// reference. Elements are split at "," and their parameters at ";"; the
// last q parameter of an element is its weight (1 without one, 0 if it
// is no qvalue). A coding named more than once takes the weight of its
// last element, but gzip, which x-gzip also names, the highest of them
// all; the "*" of the last element naming it is the weight of the
// codings not named; identity, when named, is the weight a coding must
// reach. The result is the codings with a positive weight, highest
// first, zstd before br before gzip among equals.
func refAcceptEncoding(lines []string) []coding {
	named := map[string]int{}
	for _, line := range lines {
		for _, elem := range strings.Split(line, ",") {
			params := strings.Split(elem, ";")
			name := strings.Trim(params[0], " \t")
			if name == "" {
				continue
			}
			// Names are compared by strings.EqualFold, so by Unicode
			// case folding: "zſtd" (U+017F) is zstd.
			for _, known := range []string{"*", "identity", "zstd", "br", "gzip", "x-gzip"} {
				if strings.EqualFold(name, known) {
					name = known
				}
			}
			w := 1000
			for _, p := range params[1:] {
				k, v, _ := strings.Cut(strings.Trim(p, " \t"), "=")
				if strings.ToLower(strings.Trim(k, " \t")) == "q" {
					var ok bool
					if w, ok = refParseQValue(strings.Trim(v, " \t")); !ok {
						w = 0
					}
				}
			}
			if name == "x-gzip" {
				name = "gzip"
			}
			if old, ok := named[name]; ok && name == "gzip" {
				w = max(old, w)
			}
			named[name] = w
		}
	}
	weight := func(name string) int {
		if w, ok := named[name]; ok {
			return w
		}
		return named["*"] // 0 when "*" is not named either
	}
	var out []coding
	for _, c := range []coding{codingZstd, codingBrotli, codingGzip} {
		w := weight(c.token())
		if id, ok := named["identity"]; w > 0 && (!ok || w >= id) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b coding) int { return weight(b.token()) - weight(a.token()) })
	return out
}

// FuzzParseAcceptEncoding checks parseAcceptEncoding on arbitrary field
// lines (the input split at "\n") against refAcceptEncoding, and that
// only a coding the field names, or a "*", is ever chosen, each at most
// once, and that a last element "c;q=0" excludes c (but gzip, whose
// weight is its highest).
func FuzzParseAcceptEncoding(f *testing.F) {
	for _, s := range []string{
		"", "gzip", "x-gzip", "GZIP", "gzip, deflate, br, zstd", "zstd;q=0.5, gzip",
		"gzip;q=0.8, br;q=0.9, zstd;q=0.1", "gzip;q=0", "gzip ; q=0.000", "gzip;Q=1.0",
		"gzip;q=1.001", "gzip;q=abc", "gzip;q=0.5, identity", "gzip;q=0.5, identity;q=0.5",
		"*", "*;q=0.5, gzip", "*, gzip;q=0", "identity", "deflate, compress", " , gzip ,, ",
		"gzip;q=0.5\nzstd", "gzip, gzip;q=0", "gzip;q=0, x-gzip", "zstd, zstd;q=0", "zstd;q=0, zstd",
		"*;q=0, *", "identity;q=0, *;q=0.001", "br;q=0.1;q=1", "br;q=1;q=x", "br;level=5;q=0.5",
		"gzip;q=", "gzip;q= 1", "gzip;q =0", "gzip; q=0.", "zstd;q=1.", "gzip;q=01", "gzip;q=-0",
		"gzip;q=\"0.5\"", "z\u017ftd", "\tzstd\t;\tq=0.9\t", "zstd,br,gzip,identity;q=1", "*;q=0.3,identity;q=0.3",
		// Chrome, Firefox, curl --compressed, a crawler.
		"gzip, deflate, br, zstd", "gzip, deflate, br", "deflate, gzip, br, zstd", "gzip,deflate;q=0.9,*;q=0.1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		got := parseAcceptEncoding(lines)
		all := got.all()
		if want := refAcceptEncoding(lines); !slices.Equal(all, want) && len(all)+len(want) > 0 {
			t.Fatalf("parseAcceptEncoding(%q) = %v; reference %v", lines, all, want)
		}
		// What is named, as EqualFold compares: ſ (U+017F) is s.
		lower := strings.ToLower(strings.ReplaceAll(s, "\u017f", "s"))
		seen := map[coding]bool{}
		for _, c := range all {
			if c <= identity || c >= numCodings || seen[c] {
				t.Fatalf("parseAcceptEncoding(%q) = %v: coding %d", lines, all, c)
			}
			seen[c] = true
			if !strings.Contains(lower, c.token()) && !strings.Contains(s, "*") {
				t.Fatalf("parseAcceptEncoding(%q) = %v: %s not asked for", lines, all, c.token())
			}
		}
		for _, c := range []coding{codingZstd, codingBrotli} {
			excluded := parseAcceptEncoding(append(lines, c.token()+";q=0"))
			if slices.Contains(excluded.all(), c) {
				t.Fatalf("parseAcceptEncoding(%q + %s;q=0) chooses it", lines, c.token())
			}
		}
		// An identity of weight 1 leaves only the codings of weight 1.
		withIdentity := parseAcceptEncoding(append(lines, "identity"))
		for _, c := range withIdentity.all() {
			if !slices.Contains(all, c) {
				t.Fatalf("parseAcceptEncoding(%q + identity) = %v, more than %v", lines, withIdentity.all(), all)
			}
		}
	})
}

// refScanETag reads the entity-tag at the start of s (RFC 9110 section
// 8.8.3), or returns ok false.
func refScanETag(s string) (tag, rest string, ok bool) {
	opaque := strings.TrimPrefix(s, "W/")
	if !strings.HasPrefix(opaque, `"`) {
		return "", "", false
	}
	end := strings.IndexByte(opaque[1:], '"')
	if end < 0 {
		return "", "", false
	}
	for _, c := range []byte(opaque[1 : 1+end]) {
		if c <= ' ' || c == 0x7f || c == '"' { // etagc = %x21 / %x23-7E / obs-text
			return "", "", false
		}
	}
	n := len(s) - len(opaque) + end + 2
	return s[:n], s[n:], true
}

// refMatchETagList is matchETagList's documentation as a reference: the
// field is absent when it has no line or one blank line; it matches when
// a member is "*" (or starts with one) or a tag match accepts. Members
// are separated by commas, which may be missing between tags, and what
// is neither ends its line.
func refMatchETagList(lines []string, etag string, match func(a, b string) bool) (present, matched bool) {
	if len(lines) == 0 || len(lines) == 1 && strings.Trim(lines[0], " \t") == "" {
		return false, false
	}
	for _, line := range lines {
		s := line
		for {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			if s[0] == '*' {
				return true, true
			}
			tag, rest, ok := refScanETag(s)
			if !ok {
				break
			}
			if match(tag, etag) {
				return true, true
			}
			s = rest
		}
	}
	return true, false
}

// FuzzMatchETagList checks the entity-tag list matching of If-Match and
// If-None-Match on arbitrary field lines (the input split at "\n")
// against refMatchETagList, with the strong tag the server would send
// (made of the etagc bytes of opaque) and with opaque itself, and that:
// a field that is just the tag (with white space around, or as a field
// line of its own after anything) matches it; "*" matches anything; a
// weak tag matches for If-None-Match and never for If-Match.
func FuzzMatchETagList(f *testing.F) {
	for _, tc := range [][2]string{
		{`"abc"`, "abc"},
		{`W/"abc"`, "abc"},
		{`"x", "abc"`, "abc"},
		{`"x""abc"`, "abc"},
		{`"x" junk, "abc"`, "abc"},
		{`*`, "abc"},
		{`"x", *`, "abc"},
		{`*junk`, "abc"},
		{``, "abc"},
		{" \t", "abc"},
		{"\n", "abc"},
		{`""`, ""},
		{`"a b"`, "a b"},
		{`"abc`, "abc"},
		{`w/"abc"`, "abc"},
		{"\"caf\xc3\xa9\"", "caf\xc3\xa9"},
		{"\"\x7f\"", "\x7f"},
		{`"18e7b2a8c1d00000-1f-4a2b3"`, "18e7b2a8c1d00000-1f-4a2b3"},
		{`"18e7b2a8c1d00000-1f-4a2b3-gzip", W/"18e7b2a8c1d00000-1f-4a2b3"`, "18e7b2a8c1d00000-1f-4a2b3"},
		{",,, ,\t\"abc\" ,", "abc"},
		{"\"x\"\n\"abc\"", "abc"},
		{"junk\n\"abc\"", "abc"},
		{`W/`, ""},
		{`W/"`, ""},
	} {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, header, opaque string) {
		lines := strings.Split(header, "\n")
		var b strings.Builder
		for _, c := range []byte(opaque) {
			if c > ' ' && c != '"' && c != 0x7f {
				b.WriteByte(c)
			}
		}
		etag := `"` + b.String() + `"`
		for _, e := range []string{etag, opaque} {
			for _, m := range []struct {
				name  string
				match func(a, b string) bool
			}{{"strong", strongMatch}, {"weak", weakMatch}} {
				present, matched := matchETagList(lines, e, m.match)
				wantPresent, wantMatched := refMatchETagList(lines, e, m.match)
				if present != wantPresent || matched != wantMatched {
					t.Fatalf("matchETagList(%q, %q, %s) = %v, %v; reference %v, %v", lines, e, m.name, present, matched, wantPresent, wantMatched)
				}
			}
		}

		ifMatch := func(v ...string) condResult { return checkIfMatch(http.Header{"If-Match": v}, etag) }
		ifNoneMatch := func(v ...string) condResult { return checkIfNoneMatch(http.Header{"If-None-Match": v}, etag) }
		for _, v := range []string{etag, " " + etag + "\t", "*", ", " + etag + " ,"} {
			if got := ifMatch(v); got != condTrue {
				t.Fatalf("If-Match: %q for %s: %v", v, etag, got)
			}
			if got := ifNoneMatch(v); got != condFalse {
				t.Fatalf("If-None-Match: %q for %s: %v", v, etag, got)
			}
		}
		if got := ifMatch("W/" + etag); got != condFalse {
			t.Fatalf("If-Match: W/%s for %s: %v", etag, etag, got)
		}
		if got := ifNoneMatch("W/" + etag); got != condFalse {
			t.Fatalf("If-None-Match: W/%s for %s: %v", etag, etag, got)
		}
		if got := ifMatch(append(lines, etag)...); got != condTrue {
			t.Fatalf("If-Match: %q for %s: %v", append(lines, etag), etag, got)
		}
		if got := ifNoneMatch(append(lines, etag)...); got != condFalse {
			t.Fatalf("If-None-Match: %q for %s: %v", append(lines, etag), etag, got)
		}
		// If-None-Match is If-Match's opposite, but that it compares
		// weakly: where a strong comparison matches, so does a weak one.
		if im, inm := ifMatch(lines...), ifNoneMatch(lines...); (im == condNone) != (inm == condNone) || im == condTrue && inm != condFalse {
			t.Fatalf("%q for %s: If-Match %v, If-None-Match %v", lines, etag, im, inm)
		}
	})
}

// rfc850 is the RFC 850 date format of RFC 9110 section 5.6.7, with a
// two-digit year: http.ParseTime reads 69 to 99 as 19xx, 00 to 68 as
// 20xx.
const rfc850 = "Monday, 02-Jan-06 15:04:05 GMT"

// FuzzParseHTTPDate checks parseHTTPDate against net/http's ParseTime,
// which it wraps: they agree on every date in UTC (and on its value),
// and parseHTTPDate refuses every other, Python's off-UTC zone names
// included. An accepted date is in UTC and reads back the same when
// written as an IMF-fixdate (a fraction of a second aside); and any time from 1970 on, written in
// any of the three formats, is read back as that time to the second.
func FuzzParseHTTPDate(f *testing.F) {
	for _, s := range []string{
		"Sun, 06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 UTC",
		"Sun Nov  6 08:49:37 1994",
		"Sun, 06 Nov 1994 09:49:37 +0100",
		"Sunday, 06-Nov-94 08:49:37 PST",
		"Sunday, 06-Nov-94 08:49:37 EST",
		"Sunday, 06-Nov-94 08:49:37 CET",
		"Sunday, 06-Nov-94 08:49:37 GMT+1",
		"Sunday, 06-Nov-94 08:49:37 ChST",
		"Sun, 06 Nov 1994 08:49:37 +0000",
		"06 Nov 1994 08:49:37 GMT",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37",
		"Mon, 06 Nov 1994 08:49:37 GMT", // the wrong weekday
		"Sun, 31 Feb 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 23:59:60 GMT",
		"Sun, 06 Nov 0000 08:49:37 GMT",
		"Fri, 31 Dec 9999 23:59:59 GMT",
		"Thu, 01 Jan 1970 00:00:00 GMT",
		"Sunday, 06-Nov-68 08:49:37 GMT",
		"Sunday, 06-Nov-69 08:49:37 GMT",
		"Sun Nov 06 08:49:37 1994",
		"Sun Nov 6 08:49:37 1994",
		"sun, 06 nov 1994 08:49:37 gmt",
		" Sun, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT ",
		"Sun, 06 Nov 1994 08:49:37.5 GMT",
		"yesterday",
		"",
	} {
		f.Add(s, int64(784111777))
	}
	f.Add("", int64(0))
	f.Add("", int64(-1))
	f.Add("", int64(253402300799)) // 9999-12-31 23:59:59
	f.Add("", int64(3155760000))   // 2070: no RFC 850 form
	f.Fuzz(func(t *testing.T, s string, sec int64) {
		got, ok := parseHTTPDate(s)
		want, err := http.ParseTime(s)
		name, offset := want.Zone()
		// Only a date said to be in UTC counts: time.Parse gives any zone
		// it does not know a zero offset.
		wantOK := err == nil && offset == 0 && (name == "UTC" || name == "GMT" || name == "UT")
		if ok != wantOK {
			t.Fatalf("parseHTTPDate(%q) = %v, %v; http.ParseTime %v, %v (zone %q%+d)", s, got, ok, want, err, name, offset)
		}
		if !ok {
			if !got.IsZero() {
				t.Fatalf("parseHTTPDate(%q) = %v, false", s, got)
			}
		} else {
			if !got.Equal(want) {
				t.Fatalf("parseHTTPDate(%q) = %v; http.ParseTime %v", s, got, want)
			}
			// No Nanosecond check: time.Parse takes a fraction after the
			// seconds ("08:49:37.5") that no layout asks for.
			if _, off := got.Zone(); off != 0 {
				t.Fatalf("parseHTTPDate(%q) = %v", s, got)
			}
			fix := got.UTC().Format(http.TimeFormat)
			if again, ok := parseHTTPDate(fix); !ok || !again.Equal(got.Truncate(time.Second)) {
				t.Fatalf("parseHTTPDate(%q) = %v, but parseHTTPDate(%q) = %v, %v", s, got, fix, again, ok)
			}
		}

		// Times from 1970 to 9999, in each format.
		tm := time.Unix(min(max(sec, 0), 253402300799), 0).UTC()
		forms := []string{tm.Format(http.TimeFormat), tm.Format(time.ANSIC)}
		if y := tm.Year(); y >= 1969 && y <= 2068 {
			forms = append(forms, tm.Format(rfc850))
		}
		for _, form := range forms {
			if back, ok := parseHTTPDate(form); !ok || !back.Equal(tm) {
				t.Fatalf("parseHTTPDate(%q) = %v, %v; want %v", form, back, ok, tm)
			}
		}
	})
}
