package listing

import (
	"html/template"
	"slices"

	"github.com/httpserve/httpserve/templates"
)

// ContentType is the Content-Type of a listing page, as Python sends it.
const ContentType = "text/html; charset=utf-8"

// Page is a directory listing.
type Page struct {
	Path    string  // the request path as the client sent it (Python's self.path, query included, still percent-encoded)
	Entries []Entry // sorted by Sort or SortBy, filtered by Filter
	Options Options // the order Entries are in, which the sort links show and keep
	Parent  bool    // show a link to the parent directory (false at the root)
}

// The frames of the two pages, from templates/listing.html, parsed once.
var (
	listingTemplates = template.Must(template.ParseFS(templates.FS, "listing.html"))
	pythonHead       = mustLookup("python-head")
	pythonTail       = mustLookup("python-tail")
	pageHead         = mustLookup("page-head")
	pageTail         = mustLookup("page-tail")
)

func mustLookup(name string) *template.Template {
	t := listingTemplates.Lookup(name)
	if t == nil {
		panic("listing: templates/listing.html defines no " + name)
	}
	return t
}

// Rendering
//
// Each page is its template's head, then one line per entry, then its
// tail. The lines are appended directly, from strings escaped by the
// Python-compatible functions of escape.go, rather than by a {{range}}
// in the template: html/template runs its escaper functions on every
// value of every entry, through reflection and fmt, which cost about 22
// allocations and 4 µs an entry. Appending costs no allocation, so a
// page takes the same few, for 10 entries or 100,000
// (TestAllocsPerEntry), and about 0.3 µs an entry (BenchmarkAppendHTML). The frame, where html/template's contextual
// escaping earns its keep, stays in the template.
//
// Every value the templates receive is escaped already, and typed so
// that html/template does not escape it again: html/template would
// otherwise write "&#39;" for ' and "&#43;" for +, where Python writes
// the characters themselves. Title is template.HTML, which html/template
// copies unchanged into text; TitleElement is the whole <title> element,
// because inside <title> (RCDATA) html/template re-escapes even
// template.HTML, ' and + among other characters.

// frame is what the heads and tails render.
type frame struct {
	TitleElement template.HTML
	Title        template.HTML

	// Only httpserve's page shows these.
	Parent    bool
	Columns   []column // the sort links: name, size, time
	DirsFirst bool
	DirsHref  string // toggles DirsFirst
	JSONHref  string // this listing, in this order, as JSON
}

// column is a sort link. html/template escapes Href for the attribute
// (& becomes &amp;); it holds nothing else to escape.
type column struct {
	Label string
	Href  string
	Class string // "asc" or "desc" for the current order, else ""
}

// AppendPythonHTML appends Python's page to dst.
//
// The page is byte for byte what Python 3.11's list_directory writes for
// the same path and entries, except for the differences listed in the
// package documentation. It shows neither Options nor Parent.
func (p *Page) AppendPythonHTML(dst []byte) ([]byte, error) {
	w := appendWriter{slices.Grow(dst, pythonPageSize+sizeHint(p.Entries, len(`<li><a href=""></a></li>`+"\n")))}
	f := titleFrame(appendDisplayPath, p.Path)
	if err := pythonHead.Execute(&w, f); err != nil {
		return dst, err
	}
	for i := range p.Entries {
		w.b = appendItem(w.b, &p.Entries[i])
		w.b = append(w.b, "</li>\n"...)
	}
	if err := pythonTail.Execute(&w, f); err != nil {
		return dst, err
	}
	return w.b, nil
}

// AppendHTML appends httpserve's page to dst: Python's page with a link
// to the parent directory, sort links, sizes and modification times, and
// a style sheet (see the package documentation).
func (p *Page) AppendHTML(dst []byte) ([]byte, error) {
	const itemSize = len(`<li><a href=""></a> <data value="1234567">123 KiB</data> <time datetime="2006-01-02T15:04:05Z">2006-01-02 15:04</time></li>` + "\n")
	w := appendWriter{slices.Grow(dst, pageSize+sizeHint(p.Entries, itemSize))}
	f := titleFrame(appendDecodedPath, p.Path)
	f.Parent = p.Parent
	f.Columns = p.Options.columns()
	f.DirsFirst = p.Options.DirsFirst
	dirs := p.Options
	dirs.DirsFirst = !dirs.DirsFirst
	f.DirsHref = dirs.query()
	f.JSONHref = "?format=json&" + p.Options.query()[1:]
	if err := pageHead.Execute(&w, f); err != nil {
		return dst, err
	}
	for i := range p.Entries {
		w.b = appendPageItem(w.b, &p.Entries[i])
	}
	if err := pageTail.Execute(&w, f); err != nil {
		return dst, err
	}
	return w.b, nil
}

// The sizes of the pages without entries (a little more than the
// frames, the title aside), to reserve room in one go.
const (
	pythonPageSize = 256
	pageSize       = 4096
)

// sizeHint estimates the bytes the entries take on a page, so that a
// page of many entries grows its buffer once rather than by doubling.
// A name is written twice, once quoted and once escaped.
func sizeHint(entries []Entry, perItem int) int {
	n := 0
	for i := range entries {
		n += perItem + 2*len(entries[i].Name)
	}
	return n
}

// titleFrame returns a frame with the title for path, decoded and
// escaped by appendPath. Title and TitleElement share one string.
func titleFrame(appendPath func([]byte, string) []byte, path string) *frame {
	const prefix = "Directory listing for "
	buf := make([]byte, 0, len("<title>"+prefix+"</title>")+len(path)+len(path)/2)
	buf = append(buf, "<title>"+prefix...)
	buf = appendPath(buf, path)
	titleEnd := len(buf)
	buf = append(buf, "</title>"...)
	s := string(buf)
	return &frame{
		TitleElement: template.HTML(s),
		Title:        template.HTML(s[len("<title>"):titleEnd]),
	}
}

// columns returns the sort links for a page in order o. The link of the
// current key reverses the order; the others sort by their key, names
// ascending, sizes and times descending (the largest and the newest
// first). Each keeps DirsFirst.
func (o Options) columns() []column {
	keys := [...]struct{ key, label string }{
		{SortName, "Name"},
		{SortSize, "Size"},
		{SortTime, "Modified (UTC)"},
	}
	cols := make([]column, len(keys))
	for i, k := range keys {
		link := Options{Sort: k.key, Desc: k.key != SortName, DirsFirst: o.DirsFirst}
		var class string
		if k.key == o.sortKey() {
			link.Desc = !o.Desc
			class = "asc"
			if o.Desc {
				class = "desc"
			}
		}
		cols[i] = column{Label: k.label, Href: link.query(), Class: class}
	}
	return cols
}

// appendItem appends the start of an entry's line, up to the end of its
// link: Python's <li><a href="HREF">DISPLAY</a>.
//
// HREF is quote(name), with "/" for a directory, and holds only
// letters, digits, _.-~/ and %XX, none of which needs escaping in an
// attribute. DISPLAY is the name escaped, with "@" for a symlink or "/"
// for a directory.
func appendItem(dst []byte, e *Entry) []byte {
	dst = append(dst, `<li><a href="`...)
	dst = appendQuoted(dst, e.Name)
	if e.IsDir {
		dst = append(dst, '/')
	}
	dst = append(dst, `">`...)
	dst = appendEscapedName(dst, e.Name)
	switch {
	case e.IsSymlink:
		dst = append(dst, '@') // a link to a directory shows @ but links with /
	case e.IsDir:
		dst = append(dst, '/')
	}
	return append(dst, "</a>"...)
}

// appendPageItem appends an entry's line on httpserve's page: Python's
// link, then its size (not for a directory) and its modification time
// (when known, in UTC), each with its exact value in an attribute:
//
//	<li><a href="a.txt">a.txt</a> <data value="1234">1.2 KiB</data> <time datetime="2026-11-21T16:19:40Z">2026-11-21 16:19</time></li>
func appendPageItem(dst []byte, e *Entry) []byte {
	dst = appendItem(dst, e)
	if !e.IsDir {
		dst = append(dst, ` <data value="`...)
		dst = appendInt(dst, e.Size)
		dst = append(dst, `">`...)
		dst = appendSize(dst, e.Size)
		dst = append(dst, "</data>"...)
	}
	if knownTime(e.ModTime) {
		dst = append(dst, ' ')
		dst = appendTimeElement(dst, e.ModTime)
	}
	return append(dst, "</li>\n"...)
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
