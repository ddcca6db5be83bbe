package listing

import (
	"cmp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sort orders entries as Python does (case-insensitive); it is
// SortBy(entries, Options{}).
//
// Python sorts os.listdir with key name.lower(), a stable sort over the
// order the file system returned, so names that are equal ignoring case
// (README and readme) come in file system order. Sort breaks such ties
// by the raw name instead, so the page is the same on every request.
func Sort(entries []Entry) { SortBy(entries, Options{}) }

// SortBy orders entries by o:
//
//   - With DirsFirst, directories (and symlinks that lead to one) come
//     before everything else, in ascending and descending order alike.
//   - Then by the key o.Sort: "name" (or anything unknown) is Python's
//     order, as in [Sort]; "size" counts a directory as smaller than any
//     file, as its size means nothing (the page shows none); "time" is
//     the modification time.
//   - Desc reverses that key. Ties of size or time go by name,
//     ascending, so equal sizes read alphabetically either way.
//
// The order is total, the raw name settling what the lowered name does
// not, and the sort is stable, so it is the same on every request.
//
// SortBy allocates the same few times for any number of entries: the
// lowered names go into one string, their keys and the indexes into
// two slices.
func SortBy(entries []Entry, o Options) {
	s := sorter{entries: entries, keys: lowerKeys(entries), index: make([]int32, len(entries)), o: o}
	s.o.Sort = o.sortKey()
	for i := range s.index {
		s.index[i] = int32(i)
	}
	// pdqsort is not stable, but the comparison ends on the original
	// index, which makes the order total and the result that of a
	// stable sort, without sort.Stable's O(n log² n) moves.
	sort.Sort(s)
}

// sorter sorts entries by precomputed keys, so each name is lowered
// once rather than once per comparison.
type sorter struct {
	entries []Entry
	keys    []string // lowerKey of each name
	index   []int32  // the position of each entry before sorting
	o       Options
}

func (s sorter) Len() int { return len(s.entries) }

func (s sorter) Less(i, j int) bool {
	a, b := &s.entries[i], &s.entries[j]
	if s.o.DirsFirst && a.IsDir != b.IsDir {
		return a.IsDir
	}
	var c int
	switch s.o.Sort {
	case SortSize:
		c = cmpSize(a, b)
	case SortTime:
		c = a.ModTime.Compare(b.ModTime)
	}
	if c != 0 {
		return (c < 0) != s.o.Desc
	}
	// Comparing UTF-8 bytes orders by code point, as Python compares
	// str values.
	c = strings.Compare(s.keys[i], s.keys[j])
	if c == 0 {
		c = strings.Compare(a.Name, b.Name)
	}
	if c != 0 {
		// Desc reverses the name only when it is the key; ties of
		// size or time go by name, ascending.
		return (c < 0) != (s.o.Desc && s.o.Sort == SortName)
	}
	return s.index[i] < s.index[j] // equal names: keep the order given
}

func (s sorter) Swap(i, j int) {
	s.entries[i], s.entries[j] = s.entries[j], s.entries[i]
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
	s.index[i], s.index[j] = s.index[j], s.index[i]
}

// cmpSize compares sizes, a directory counting as smaller than any file.
func cmpSize(a, b *Entry) int {
	switch {
	case a.IsDir && b.IsDir:
		return 0
	case a.IsDir:
		return -1
	case b.IsDir:
		return 1
	}
	return cmp.Compare(a.Size, b.Size)
}

// lowerKeys returns lowerKey of every name. The keys are cut from one
// string, so a directory of many names costs two allocations rather
// than one per name with an upper-case letter.
func lowerKeys(entries []Entry) []string {
	n := 0
	for i := range entries {
		n += len(entries[i].Name)
	}
	buf := make([]byte, 0, n+n/8)
	ends := make([]int, len(entries))
	for i := range entries {
		buf = appendLowerKey(buf, entries[i].Name)
		ends[i] = len(buf)
	}
	all := string(buf)
	keys := make([]string, len(entries))
	start := 0
	for i, end := range ends {
		keys[i] = all[start:end]
		start = end
	}
	return keys
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
	return string(appendLowerKey(nil, name))
}

// appendLowerKey appends lowerKey(name) to dst.
func appendLowerKey(dst []byte, name string) []byte {
	for i := 0; i < len(name); {
		if c := name[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		switch r {
		case 'İ':
			dst = append(dst, "i\u0307"...)
		case 'Σ':
			if finalSigma(name, i, i+size) {
				dst = utf8.AppendRune(dst, 'ς')
			} else {
				dst = utf8.AppendRune(dst, 'σ')
			}
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r)) // RuneError for an invalid byte
		}
		i += size
	}
	return dst
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
