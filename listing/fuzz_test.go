package listing

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Fuzz targets for the parsers of a listing request: the choice between
// JSON and HTML (WantsJSON) and the sort order (ParseOptions). Each is
// checked against a reference built on net/url and written here, and
// the sort links of the page are parsed back.

// refFormat is the format parameter's answer: the first value json or
// html decides (values compare as strings.EqualFold does, by Unicode
// case folding). url.ParseQuery skips a pair holding ";", as
// queryParams does not, but such a pair's value holds ";" and decides
// nothing either.
func refFormat(rawQuery string) (json, decided bool) {
	values, _ := url.ParseQuery(strings.TrimPrefix(rawQuery, "?"))
	for _, v := range values["format"] {
		switch {
		case strings.EqualFold(v, "json"):
			return true, true
		case strings.EqualFold(v, "html"):
			return false, true
		}
	}
	return false, false
}

// refSplit splits s at each sep outside a quoted-string, where a
// backslash escapes the next byte (RFC 9110 section 5.6.4).
func refSplit(s string, sep byte) []string {
	var parts []string
	start, quoted, escaped := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case quoted && c == '\\':
			escaped = true
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

var (
	refMediaRange = regexp.MustCompile("^([!#$%&'*+.^_`|~0-9A-Za-z-]+)/([!#$%&'*+.^_`|~0-9A-Za-z-]+)$")
	refWeight     = regexp.MustCompile(`^(?:0(?:\.([0-9]{0,3}))?|1(?:\.0{0,3})?)$`)
)

// refWantsJSONAccept is the content negotiation of WantsJSON's
// documentation, done the long way: every media range of accept is
// parsed (type "/" subtype, tokens, "*/sub" refused; its first q
// parameter, which must be a qvalue, is its weight), then each of the
// two types takes the highest weight of the most specific ranges that
// match it, 0 if none does, and JSON must weigh more.
func refWantsJSONAccept(accept string) bool {
	type mediaRange struct {
		typ, subtype string
		q            int
	}
	var ranges []mediaRange
	for _, elem := range refSplit(accept, ',') {
		params := refSplit(elem, ';')
		m := refMediaRange.FindStringSubmatch(strings.Trim(params[0], " \t"))
		if m == nil || m[1] == "*" && m[2] != "*" {
			continue
		}
		r := mediaRange{strings.ToLower(m[1]), strings.ToLower(m[2]), 1000}
		ok := true
		for _, p := range params[1:] {
			name, value, _ := strings.Cut(strings.Trim(p, " \t"), "=")
			if strings.EqualFold(name, "q") {
				w := refWeight.FindStringSubmatch(value)
				switch {
				case w == nil:
					ok = false
				case value[0] == '1':
					r.q = 1000
				default:
					r.q, _ = strconv.Atoi(w[1] + "000"[len(w[1]):])
				}
				break
			}
		}
		if ok {
			ranges = append(ranges, r)
		}
	}
	weigh := func(typ, subtype string) int {
		for _, specific := range []func(r mediaRange) bool{
			func(r mediaRange) bool { return r.typ == typ && r.subtype == subtype },
			func(r mediaRange) bool { return r.typ == typ && r.subtype == "*" },
			func(r mediaRange) bool { return r.typ == "*" && r.subtype == "*" },
		} {
			q, found := 0, false
			for _, r := range ranges {
				if specific(r) {
					q, found = max(q, r.q), true
				}
			}
			if found {
				return q
			}
		}
		return 0
	}
	return weigh("application", "json") > weigh("text", "html")
}

// FuzzWantsJSON checks WantsJSON against refFormat and
// refWantsJSONAccept, and that format=json first in the query always
// gets JSON and format=html always HTML, whatever the Accept field says;
// that an Accept field that is application/json gets JSON and one that
// names text/html without a weight gets HTML, unless the query decides.
func FuzzWantsJSON(f *testing.F) {
	for _, tc := range [][2]string{
		{"", ""},
		{"", "application/json"},
		{"", "Application/JSON"},
		{"", "text/html"},
		{"", "*/*"},
		{"", "text/html,application/json;q=0.9"},
		{"", "application/json;q=0.9,text/html;q=0.8"},
		{"", "application/json, text/html"},
		{"", "application/json;q=0"},
		{"", "application/*;q=0.5, */*;q=0.1"},
		{"", "text/plain, application/json;q=0.5"},
		{"", "text/html;q=0, */*"},
		{"", "application/json;q=0.5, application/*;q=1, text/html;q=0.6"},
		{"", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
		{"", "application/json, */*;q=0.5"},
		{"", " application/json ; charset=utf-8 ; q=1 ; ext=x , text/html ;q=0.5"},
		{"", `text/html;x="a,b;q=1";q=0.1, application/json;q=0.2`},
		{"", `text/html;x="\"",application/json;q=0.2`},
		{"", `text/html;x="unterminated, application/json`},
		{"", `text/html;x=a\"b, application/json`},
		{"", "application/json;Q=0.9, text/html;q=0.8"},
		{"", "application/json;q=2, text/html;q=0.1"},
		{"", "application/json;q=0.1234"},
		{"", "application/json;q=.5"},
		{"", "application/json;q="},
		{"", "application/json;q= 1"},
		{"", "application/json;q =0, text/html;q=0.5"},
		{"", "application/json;q=0.5;q=1"},
		{"", "json, text/html;q=0.1"},
		{"", "*/json"},
		{"", "application/json/x"},
		{"", "application/j\u017fon"},
		{"", ",,application/json,,"},
		{"format=json", ""},
		{"format=json", "text/html"},
		{"?format=json", "text/html"},
		{"sort=size&format=JSON", ""},
		{"format=html", "application/json"},
		{"format=xml", "application/json"},
		{"format=xml&format=html", "application/json"},
		{"format=j%73on", ""},
		{"format=json;x", ""},
		{"format=%zz&format=json", ""},
		{"form%61t=json", ""},
		{"format=j\u017fon", ""},
		{"formats=json", ""},
		{"format", "application/json"},
	} {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, query, accept string) {
		got := WantsJSON(query, accept)
		want, decided := refFormat(query)
		if !decided {
			want = refWantsJSONAccept(accept)
		}
		if got != want {
			t.Fatalf("WantsJSON(%q, %q) = %v; reference %v (query decides: %v)", query, accept, got, want, decided)
		}
		for _, prefix := range []string{"format=json&", "?format=JSON&"} {
			if !WantsJSON(prefix+query, accept) {
				t.Fatalf("WantsJSON(%q, %q) = false", prefix+query, accept)
			}
		}
		for _, prefix := range []string{"format=html&", "?Format=x&format=html&"} {
			if WantsJSON(prefix+query, accept) {
				t.Fatalf("WantsJSON(%q, %q) = true", prefix+query, accept)
			}
		}
		if decided {
			return
		}
		if !WantsJSON(query, "application/json") {
			t.Fatalf("WantsJSON(%q, application/json) = false", query)
		}
		if !strings.Contains(accept, `"`) && WantsJSON(query, accept+",text/html") {
			t.Fatalf("WantsJSON(%q, %q) = true", query, accept+",text/html")
		}
	})
}

// refParseOptions reads the query with url.ParseQuery: the last valid
// value of each parameter wins over the defaults. (A pair holding ";",
// which url.ParseQuery skips, holds no valid value.)
func refParseOptions(rawQuery string, defaults Options) Options {
	o := defaults
	values, _ := url.ParseQuery(strings.TrimPrefix(rawQuery, "?"))
	for _, v := range values["sort"] {
		for _, key := range []string{SortName, SortSize, SortTime} {
			if strings.EqualFold(v, key) { // "ſize" (U+017F) is size
				o.Sort = key
			}
		}
	}
	for _, v := range values["order"] {
		switch {
		case strings.EqualFold(v, "asc"):
			o.Desc = false
		case strings.EqualFold(v, "desc"):
			o.Desc = true
		}
	}
	for _, v := range values["dirs"] {
		switch {
		case strings.EqualFold(v, "first"):
			o.DirsFirst = true
		case strings.EqualFold(v, "mixed"):
			o.DirsFirst = false
		}
	}
	return o
}

// hrefPattern finds the links of a page.
var hrefPattern = regexp.MustCompile(`href="([^"]*)"`)

// FuzzParseOptions checks ParseOptions against refParseOptions, and that
// the sort links of a page in any order parse back as the orders they
// promise: the current key's link reverses the order, the other keys'
// sort names ascending and sizes and times descending, all keep
// DirsFirst; the "Directories first" link flips DirsFirst only, and the
// JSON link keeps the order and asks for JSON. A link's query, put after
// any other query, wins over it.
func FuzzParseOptions(f *testing.F) {
	for _, q := range []string{
		"", "sort=size", "sort=time&order=desc", "sort=name&order=asc&dirs=first",
		"sort=name&order=asc&dirs=mixed", "?sort=size", "SORT=size&sort=SIZE&order=DESC",
		"sort=colour&order=up&dirs=last", "format=json&q=x&C=N;O=D", "sort=size&sort=bogus&order=desc&order=asc",
		"%73ort=%74ime&order=de%73c", "sort=size+", "sort=%zzsize&order=desc", "sort&order=&dirs",
		"&&sort=size&&", "hide=0&dotfiles=show&HideDotfiles=false", "sort=size;order=desc",
		"sort=%C5%BFize", "sort=\u017fize", "order=de\u017fc&dirs=fir\u017ft", "sort=size&sort=", "??sort=size",
		"sort=size#frag", "sort=si%20ze", "sort=%20size", "order=DESC&order=asc;", "dirs=first&dirs=mixed&dirs=first",
	} {
		f.Add(q, "", false, false, false, "", false, false)
		f.Add(q, SortTime, true, true, true, SortSize, true, true)
	}
	f.Add("", "bogus", true, false, true, "bogus", false, true)
	f.Fuzz(func(t *testing.T, rawQuery, sort string, desc, dirsFirst, hide bool, defSort string, defDesc, defDirs bool) {
		defaults := Options{Sort: defSort, Desc: defDesc, DirsFirst: defDirs, HideDotfiles: hide}
		got := ParseOptions(rawQuery, defaults)
		if want := refParseOptions(rawQuery, defaults); got != want {
			t.Fatalf("ParseOptions(%q, %+v) = %+v; reference %+v", rawQuery, defaults, got, want)
		}
		if got.HideDotfiles != hide || got.Sort != defSort && got.Sort != SortName && got.Sort != SortSize && got.Sort != SortTime {
			t.Fatalf("ParseOptions(%q, %+v) = %+v", rawQuery, defaults, got)
		}
		if again := ParseOptions(rawQuery, got); again != got {
			t.Fatalf("ParseOptions(%q, %+v) = %+v, but from it %+v", rawQuery, defaults, got, again)
		}

		// The links of a page in order o, as a browser reads them.
		o := Options{Sort: sort, Desc: desc, DirsFirst: dirsFirst, HideDotfiles: !hide}
		page, err := (&Page{Path: "/d/?" + rawQuery, Options: o}).AppendHTML(nil)
		if err != nil {
			t.Fatal(err)
		}
		var links []string
		for _, m := range hrefPattern.FindAllSubmatch(page, -1) {
			if href := html.UnescapeString(string(m[1])); strings.HasPrefix(href, "?") {
				links = append(links, href)
			}
		}
		key := sort
		if key != SortSize && key != SortTime {
			key = SortName // anything else is read as name
		}
		var want []Options // what each link promises, in page order
		for _, k := range []string{SortName, SortSize, SortTime} {
			link := Options{Sort: k, Desc: k != SortName, DirsFirst: dirsFirst}
			if k == key {
				link.Desc = !desc
			}
			want = append(want, link)
		}
		current := Options{Sort: key, Desc: desc, DirsFirst: dirsFirst}
		flipped := current
		flipped.DirsFirst = !dirsFirst
		want = append(want, flipped, current)
		if len(links) != len(want) {
			t.Fatalf("page in order %+v: links %q, want %d", o, links, len(want))
		}
		for i, link := range links {
			for _, d := range []Options{defaults, got, {HideDotfiles: hide}} {
				w := want[i]
				w.HideDotfiles = d.HideDotfiles
				if back := ParseOptions(link, d); back != w {
					t.Fatalf("page in order %+v: link %q over %+v reads as %+v, want %+v", o, link, d, back, w)
				}
				// After the request's own query, the link's parameters win.
				if back := ParseOptions(rawQuery+"&"+link[1:], d); back != w {
					t.Fatalf("page in order %+v: %q over %+v reads as %+v, want %+v", o, rawQuery+"&"+link[1:], d, back, w)
				}
			}
			if isJSON := i == len(links)-1; WantsJSON(link, "text/html") != isJSON {
				t.Fatalf("page in order %+v: link %q: WantsJSON %v", o, link, !isJSON)
			}
		}
	})
}
