// Directory listings: Python's list_directory, with httpserve's options.
//
// Which page a directory gets:
//
//   - JSON (listing.AppendJSON) when the query says format=json or the
//     Accept header prefers application/json to text/html
//     ([listing.WantsJSON]);
//   - Python's page, byte for byte (listing.AppendPythonHTML), when
//     nothing asks for more: the handler's Listing options are Python's
//     (no --sort, no --dirs-first) and the query names none of the
//     listing parameters (sort, order, dirs). This is the drop-in case;
//   - httpserve's page otherwise (listing.AppendHTML): the same list with
//     a parent link, sizes, times and sort links, which carry the
//     parameters and so keep the reader on this page.
//
// The order comes from the handler's Listing, overridden by the query
// ([listing.ParseOptions]); HideDotfiles is the handler's and no query
// changes it. Every listing carries Vary: Accept, since Accept can turn
// it into JSON, and with Compress it may be compressed (compress.go).
// Listings have no validators: like Python's, they ignore conditional
// headers and Range, and are rendered afresh for every request.

package simplehandler

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/listing"
)

// listBufPool holds the buffers listings are rendered (and compressed)
// into; one of more than maxPooledListing bytes is left to the garbage
// collector, so a huge directory does not pin its page's memory.
var listBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

const maxPooledListing = 256 << 10

func putListBuf(buf *[]byte, b []byte) {
	if cap(b) <= maxPooledListing {
		*buf = b[:0]
		listBufPool.Put(buf)
	}
}

// sendListing is Python's list_directory: the page is rendered whole, so
// that a failure can still become an error page, then sent with its
// length.
func (h *Handler) sendListing(w *basehandler.Response, r *basehandler.Request, rel string) {
	if h.NoListing {
		w.SendError(http.StatusForbidden, "Directory listing is disabled")
		return
	}
	query := rawQuery(r.Path)
	wantsJSON := listing.WantsJSON(query, strings.Join(r.Header["Accept"], ", "))
	python := !wantsJSON && h.pythonListing(query)
	entries, err := h.readDir(w, rel, python)
	if err != nil {
		w.SendError(http.StatusNotFound, "No permission to list directory")
		return
	}
	opts := listing.ParseOptions(query, h.Listing)
	opts.HideDotfiles = h.HideDotfiles
	entries = listing.Filter(entries, opts)
	listing.SortBy(entries, opts)
	page := listing.Page{Path: r.Path, Entries: entries, Options: opts, Parent: rel != "."}

	ctype := listing.ContentType
	buf := listBufPool.Get().(*[]byte)
	var body []byte
	switch {
	case wantsJSON:
		ctype = listing.JSONContentType
		body, err = page.AppendJSON((*buf)[:0])
	case python:
		body, err = page.AppendPythonHTML((*buf)[:0])
	default:
		body, err = page.AppendHTML((*buf)[:0])
	}
	if err != nil {
		listBufPool.Put(buf)
		w.LogError("listing %q: %v", r.Path, err)
		w.SendError(http.StatusInternalServerError, "")
		return
	}
	defer func() { putListBuf(buf, body) }() // body is not reassigned below

	c := identity
	if h.Compress && len(body) >= minCompressSize {
		accepted := parseAcceptEncoding(r.Header["Accept-Encoding"])
		for _, a := range accepted.all() {
			if a.onTheFly() {
				c = a
				break
			}
		}
	}
	out := body
	if c != identity {
		zbuf := listBufPool.Get().(*[]byte)
		out = appendCompressed((*zbuf)[:0], body, c)
		defer func() { putListBuf(zbuf, out) }()
	}

	w.SendResponse(http.StatusOK)
	w.SendHeader("Content-type", ctype)
	w.SendHeader("Content-Length", strconv.Itoa(len(out)))
	if c != identity {
		w.SendHeader("Content-Encoding", c.token())
	}
	if h.Compress {
		w.SendHeader("Vary", "Accept, Accept-Encoding")
	} else {
		w.SendHeader("Vary", "Accept")
	}
	w.EndHeaders()
	w.Write(out)
}

// pythonListing reports whether a listing is Python's page: the handler
// keeps Python's order and the query asks for no other.
func (h *Handler) pythonListing(query string) bool {
	defaults := h.Listing
	defaults.HideDotfiles = false
	if defaults != (listing.Options{}) && defaults != (listing.Options{Sort: listing.SortName}) {
		return false
	}
	if query == "" {
		return true
	}
	values, _ := url.ParseQuery(query) // the pairs that parse; the others mean nothing to listings
	return !values.Has("sort") && !values.Has("order") && !values.Has("dirs")
}

// rawQuery is the query of a request path, without "?" and any fragment.
func rawQuery(p string) string {
	p, _, _ = strings.Cut(p, "#")
	_, q, _ := strings.Cut(p, "?")
	return q
}
