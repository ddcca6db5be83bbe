package listing

import (
	"html/template"

	"github.com/httpserve/httpserve/templates"
)

// ContentType is the Content-Type of a listing page, as Python sends it.
const ContentType = "text/html; charset=utf-8"

// Page is a directory listing.
type Page struct {
	Path    string  // the request path as the client sent it (Python's self.path, query included, still percent-encoded)
	Entries []Entry // sorted by Sort
}

// listingTemplate is templates/listing.html, parsed once.
var listingTemplate = template.Must(template.ParseFS(templates.FS, "listing.html"))

// view is what listing.html renders. Every string in it is escaped
// already, by the Python-compatible functions of escape.go, and is typed
// so that html/template does not escape it again: html/template would
// otherwise write "&#39;" for ' and "&#43;" for +, where Python writes the
// characters themselves.
//
//   - Title and the Display of each item are template.HTML, which
//     html/template copies unchanged into text.
//   - Href is template.URL. In an attribute html/template still normalizes
//     a URL and escapes it for the attribute, but quote leaves only
//     letters, digits, _.-~/ and %XX, all of which pass unchanged
//     (TestHrefUnchanged checks every byte).
//   - TitleElement is the whole <title> element, because inside <title>
//     (RCDATA) html/template re-escapes even template.HTML, ' and + among
//     other characters.
type view struct {
	TitleElement template.HTML
	Title        template.HTML
	Items        []item
}

type item struct {
	Href    template.URL
	Display template.HTML
}

// AppendHTML appends the HTML page to dst.
//
// The page is byte for byte what Python 3.11's list_directory writes for
// the same path and entries, except for the differences listed in the
// package documentation.
func (p *Page) AppendHTML(dst []byte) ([]byte, error) {
	w := appendWriter{dst}
	if err := listingTemplate.Execute(&w, p.view()); err != nil {
		return dst, err
	}
	return w.b, nil
}

// view escapes the strings of p. All of them share one string, so a page
// of many entries costs a few allocations rather than two per entry.
func (p *Page) view() *view {
	const prefix = "Directory listing for "
	var buf []byte
	buf = append(buf, "<title>"+prefix...)
	buf = appendDisplayPath(buf, p.Path)
	titleEnd := len(buf)
	buf = append(buf, "</title>"...)
	elementEnd := len(buf)

	// ends holds, for each entry, where its href and its display end.
	ends := make([]int, 0, 2*len(p.Entries))
	for _, e := range p.Entries {
		buf = appendQuoted(buf, e.Name)
		if e.IsDir {
			buf = append(buf, '/')
		}
		ends = append(ends, len(buf))
		buf = appendEscapedName(buf, e.Name)
		switch {
		case e.IsSymlink:
			buf = append(buf, '@') // a link to a directory shows @ but links with /
		case e.IsDir:
			buf = append(buf, '/')
		}
		ends = append(ends, len(buf))
	}

	s := string(buf)
	v := &view{
		TitleElement: template.HTML(s[:elementEnd]),
		Title:        template.HTML(s[len("<title>"):titleEnd]),
		Items:        make([]item, len(p.Entries)),
	}
	start := elementEnd
	for i := range v.Items {
		hrefEnd, displayEnd := ends[2*i], ends[2*i+1]
		v.Items[i] = item{
			Href:    template.URL(s[start:hrefEnd]),
			Display: template.HTML(s[hrefEnd:displayEnd]),
		}
		start = displayEnd
	}
	return v
}

// appendWriter is an io.Writer that appends to a byte slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// WriteString lets the template engine write its literal text without
// converting it to []byte first.
func (w *appendWriter) WriteString(s string) (int, error) {
	w.b = append(w.b, s...)
	return len(s), nil
}
