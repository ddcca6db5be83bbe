package listing

import (
	"iter"
	"net/url"
	"slices"
	"strings"
)

// Options say how a listing is ordered and what it shows.
//
// The zero value is Python's listing: every name, in Python's
// case-insensitive order, directories mixed with files.
type Options struct {
	Sort         string // "name" (default, Python's case-insensitive order), "size", "time"
	Desc         bool   // descending
	DirsFirst    bool   // directories (and symlinks to directories) before files
	HideDotfiles bool   // leave out names starting with "."
}

// The values of [Options.Sort].
const (
	SortName = "name"
	SortSize = "size"
	SortTime = "time"
)

// ParseOptions reads the sort order of a listing from a request's query:
//
//	sort=name|size|time   the key to sort by
//	order=asc|desc        ascending or descending
//	dirs=first|mixed      directories first, or mixed with files
//
// rawQuery is the query part of the request target, without the "?"
// (one is ignored), still percent-encoded. Parameters start from
// defaults, the server's settings (--sort and friends); a parameter that
// is missing, unknown or has an unknown value keeps its default, and
// the last valid value of a parameter wins. Values are matched without
// regard to case. HideDotfiles is the server's policy and no query
// changes it.
func ParseOptions(rawQuery string, defaults Options) Options {
	o := defaults
	for key, value := range queryParams(rawQuery) {
		switch key {
		case "sort":
			for _, s := range []string{SortName, SortSize, SortTime} {
				if strings.EqualFold(value, s) {
					o.Sort = s
				}
			}
		case "order":
			switch {
			case strings.EqualFold(value, "asc"):
				o.Desc = false
			case strings.EqualFold(value, "desc"):
				o.Desc = true
			}
		case "dirs":
			switch {
			case strings.EqualFold(value, "first"):
				o.DirsFirst = true
			case strings.EqualFold(value, "mixed"):
				o.DirsFirst = false
			}
		}
	}
	return o
}

// query returns the query string that ParseOptions reads back as o
// (without HideDotfiles), for the sort links of the page. Every
// parameter is written, so that a link keeps its meaning whatever the
// server's defaults are.
func (o Options) query() string {
	order, dirs := "asc", "mixed"
	if o.Desc {
		order = "desc"
	}
	if o.DirsFirst {
		dirs = "first"
	}
	return "?sort=" + o.sortKey() + "&order=" + order + "&dirs=" + dirs
}

// sortKey is o.Sort, with anything unknown read as SortName.
func (o Options) sortKey() string {
	switch o.Sort {
	case SortSize, SortTime:
		return o.Sort
	}
	return SortName
}

// Filter drops the entries that o hides: with HideDotfiles, every name
// that starts with "." (dot-files and dot-directories alike). Like
// [slices.DeleteFunc] it works in place, returns the shortened slice and
// zeroes the elements past its end.
func Filter(entries []Entry, o Options) []Entry {
	if !o.HideDotfiles {
		return entries
	}
	return slices.DeleteFunc(entries, func(e Entry) bool {
		return strings.HasPrefix(e.Name, ".")
	})
}

// queryParams yields the key=value pairs of rawQuery, split at "&" and
// unescaped as url.ParseQuery does ("+" is a space). A pair whose
// escapes are malformed is skipped; a key without "=" has the value "".
func queryParams(rawQuery string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		rest := strings.TrimPrefix(rawQuery, "?")
		for rest != "" {
			var pair string
			pair, rest, _ = strings.Cut(rest, "&")
			k, v, _ := strings.Cut(pair, "=")
			k, err1 := url.QueryUnescape(k)
			v, err2 := url.QueryUnescape(v)
			if err1 != nil || err2 != nil {
				continue
			}
			if !yield(k, v) {
				return
			}
		}
	}
}
