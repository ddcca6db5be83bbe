package listing

import (
	"iter"
	"strings"
)

// WantsJSON reports whether the client asked for the JSON listing rather
// than the HTML page.
//
// A query parameter decides first: format=json asks for JSON and
// format=html for HTML, whatever the Accept header says, so that a
// browser can follow a link to either. Otherwise accept, the value of
// the Accept header field (several fields joined with ","), decides by
// content negotiation (RFC 9110 section 12.5.1): JSON is sent only when
// application/json has a higher weight than text/html. Each of the two
// types takes the weight of the most specific media range that matches
// it (type/subtype, then type/*, then */*), or 0 when none does. A tie
// goes to HTML, so an empty header, "*/*" and a browser's
// "text/html,...,*/*;q=0.8" all get the page.
//
// Media type parameters other than the weight are ignored, and an
// element that does not parse (no "/", a weight that is not a qvalue)
// is skipped.
func WantsJSON(rawQuery, accept string) bool {
	for key, value := range queryParams(rawQuery) {
		if key != "format" {
			continue
		}
		switch {
		case strings.EqualFold(value, "json"):
			return true
		case strings.EqualFold(value, "html"):
			return false
		}
	}
	json, html := weight{}, weight{}
	for r := range mediaRanges(accept) {
		json.consider(r, "application", "json")
		html.consider(r, "text", "html")
	}
	return json.q > html.q
}

// weight is the weight of one media type, from the most specific media
// range seen so far that matches it.
type weight struct {
	specificity int // 0: no range matched; 1: */*; 2: type/*; 3: type/subtype
	q           int // in thousandths, 0 to 1000
}

// consider takes the media range r into account for the media type
// wantType/wantSubtype. Among ranges equally specific, the highest
// weight counts.
func (w *weight) consider(r mediaRange, wantType, wantSubtype string) {
	var s int
	switch {
	case r.typ == "*" && r.subtype == "*":
		s = 1
	case !strings.EqualFold(r.typ, wantType):
		return
	case r.subtype == "*":
		s = 2
	case strings.EqualFold(r.subtype, wantSubtype):
		s = 3
	default:
		return
	}
	if s > w.specificity || s == w.specificity && r.q > w.q {
		w.specificity, w.q = s, r.q
	}
}

// mediaRange is one element of an Accept field value.
type mediaRange struct {
	typ, subtype string
	q            int // the weight, in thousandths
}

// mediaRanges yields the media ranges of an Accept field value (RFC 9110
// section 12.5.1):
//
//	Accept      = #( media-range [ weight ] )
//	media-range = ( "*/*" / ( type "/*" ) / ( type "/" subtype ) ) parameters
//	parameters  = *( OWS ";" OWS [ parameter ] )
//	weight      = OWS ";" OWS "q=" qvalue
//
// Elements that do not parse are skipped. Commas and semicolons inside
// a quoted-string parameter value do not split anything.
func mediaRanges(accept string) iter.Seq[mediaRange] {
	return func(yield func(mediaRange) bool) {
		for accept != "" {
			var elem string
			elem, accept = cutOutsideQuotes(accept, ',')
			r, ok := parseMediaRange(elem)
			if ok && !yield(r) {
				return
			}
		}
	}
}

// parseMediaRange parses one element of an Accept field value.
func parseMediaRange(elem string) (mediaRange, bool) {
	rangePart, params := cutOutsideQuotes(elem, ';')
	typ, subtype, ok := strings.Cut(trimOWS(rangePart), "/")
	if !ok || !isToken(typ) || !isToken(subtype) || typ == "*" && subtype != "*" {
		return mediaRange{}, false
	}
	r := mediaRange{typ, subtype, 1000}
	for params != "" {
		var param string
		param, params = cutOutsideQuotes(params, ';')
		name, value, _ := strings.Cut(trimOWS(param), "=")
		if strings.EqualFold(name, "q") {
			// The weight ends the media type's parameters; what
			// follows are extensions, which no one defines.
			r.q, ok = parseQValue(value)
			return r, ok
		}
	}
	return r, true
}

// parseQValue parses a weight's value (RFC 9110 section 12.4.2) into
// thousandths:
//
//	qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
func parseQValue(s string) (int, bool) {
	if s == "" || s[0] != '0' && s[0] != '1' {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q, true
	}
	frac := s[1:]
	if frac[0] != '.' || len(frac) > 4 {
		return 0, false
	}
	scale := 100
	for i := 1; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' || q == 1000 && c != '0' {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	return q, true
}

// cutOutsideQuotes cuts s around the first sep that is not inside a
// quoted-string (RFC 9110 section 5.6.4), where a backslash escapes the
// next character.
func cutOutsideQuotes(s string, sep byte) (before, after string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// trimOWS removes optional whitespace (spaces and tabs, RFC 9110
// section 5.6.3) from both ends of s.
func trimOWS(s string) string { return strings.Trim(s, " \t") }

// isToken reports whether s is a token of RFC 9110 section 5.6.2.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}
