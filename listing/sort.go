package listing

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sort orders entries as Python does (case-insensitive).
//
// Python sorts os.listdir with key name.lower(), a stable sort over the
// order the file system returned, so names that are equal ignoring case
// (README and readme) come in file system order. Sort breaks such ties
// by the raw name instead, so the page is the same on every request.
func Sort(entries []Entry) {
	keys := make([]string, len(entries))
	for i := range entries {
		keys[i] = lowerKey(entries[i].Name)
	}
	sort.Sort(byKey{entries, keys})
}

// byKey sorts entries by their precomputed keys, so each name is
// lowered once rather than once per comparison.
type byKey struct {
	entries []Entry
	keys    []string
}

func (s byKey) Len() int { return len(s.entries) }

func (s byKey) Less(i, j int) bool {
	if s.keys[i] != s.keys[j] {
		// Comparing UTF-8 bytes orders by code point, as Python
		// compares str values.
		return s.keys[i] < s.keys[j]
	}
	return s.entries[i].Name < s.entries[j].Name
}

func (s byKey) Swap(i, j int) {
	s.entries[i], s.entries[j] = s.entries[j], s.entries[i]
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
}

// lowerKey is Python's str.lower for a file name.
//
// Go's strings.ToLower applies the simple (one rune to one rune) case
// mapping of UnicodeData.txt. Python applies the full mapping, which
// differs in exactly two places: U+0130 (İ) lowers to "i\u0307", and a
// capital sigma lowers to final sigma (ς) at the end of a word
// (SpecialCasing.txt, Final_Sigma). Invalid UTF-8 bytes become U+FFFD, as
// in strings.ToLower; Python would see surrogate escapes there instead.
func lowerKey(name string) string {
	special := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= utf8.RuneSelf {
			special = true
			break
		}
	}
	if !special {
		return strings.ToLower(name) // does not allocate when already lower
	}
	if !strings.ContainsRune(name, 'İ') && !strings.ContainsRune(name, 'Σ') {
		return strings.ToLower(name)
	}
	var b strings.Builder
	b.Grow(len(name) + 1)
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		switch r {
		case 'İ':
			b.WriteString("i\u0307")
		case 'Σ':
			if finalSigma(name, i, i+size) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r)) // RuneError for an invalid byte
		}
		i += size
	}
	return b.String()
}

// finalSigma reports whether the capital sigma at s[start:end] is in the
// Final_Sigma context of Unicode section 3.13 (Table 3-17), as CPython's
// handle_capital_sigma decides it:
//
//	\p{cased} \p{case-ignorable}* U+03A3 !( \p{case-ignorable}* \p{cased} )
func finalSigma(s string, start, end int) bool {
	i := start
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !caseIgnorable(r) {
			break
		}
		i -= size
	}
	if i == 0 {
		return false
	}
	if r, _ := utf8.DecodeLastRuneInString(s[:i]); !cased(r) {
		return false
	}
	for _, r := range s[end:] {
		if !caseIgnorable(r) {
			return !cased(r)
		}
	}
	return true
}

// cased is the Cased property of DerivedCoreProperties.txt.
func cased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt,
		unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// caseIgnorable is the Case_Ignorable property of
// DerivedCoreProperties.txt: the general categories Mn, Me, Cf, Lm and Sk,
// plus the Word_Break values MidLetter, MidNumLet and Single_Quote, which
// the unicode package does not expose and are listed here.
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', // Single_Quote
		'.', '\u2018', '\u2019', '\u2024', '\uFE52', '\uFF07', '\uFF0E', // MidNumLet
		':', '\u00B7', '\u0387', '\u055F', '\u05F4', '\u2027', '\uFE13', '\uFE55', '\uFF1A': // MidLetter
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
