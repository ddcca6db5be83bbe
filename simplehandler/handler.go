package simplehandler

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/listing"
)

// Handler serves the files of one directory: Python's
// SimpleHTTPRequestHandler. It holds configuration only and is shared by
// every connection. The fields after FollowSymlinks are httpserve's own;
// their zero values are Python's behaviour.
type Handler struct {
	Root           *os.Root // the served directory (os.Root: nothing outside it can be opened)
	Dir            string   // its absolute path on disk
	FollowSymlinks bool     // serve symlinks that lead outside the root (off: 404 and a log line)

	// Listing is the order listings take unless the request's query
	// asks for another (--sort, --order, --dirs-first); its HideDotfiles is
	// ignored in favour of the field below.
	Listing listing.Options
	// NoListing answers a directory without an index file with 403
	// "Directory listing is disabled" instead of a listing.
	NoListing bool
	// HideDotfiles leaves names starting with "." out of listings and
	// answers 404 for any path with such an element (/.git/config,
	// /.env, /a/.ssh/).
	HideDotfiles bool
	// CORS lets any web page read the served files (cors.go), and
	// answers OPTIONS.
	CORS bool
	// Compress sends files and listings compressed when the client
	// accepts it, and precompressed siblings (compress.go).
	Compress bool
}

var _ basehandler.Handler = (*Handler)(nil)

// New returns a Handler serving dir.
func New(dir string, followSymlinks bool) (*Handler, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("simplehandler: %w", err)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("simplehandler: %w", err)
	}
	return &Handler{Root: root, Dir: abs, FollowSymlinks: followSymlinks}, nil
}

// Close closes h.Root.
func (h *Handler) Close() error { return h.Root.Close() }

// ServeRequest dispatches on the method, as Python finds do_GET and
// do_HEAD; any other method is answered with 501, OPTIONS too unless CORS
// is set.
func (h *Handler) ServeRequest(w *basehandler.Response, r *basehandler.Request) {
	if h.CORS && r.Method != http.MethodOptions {
		// Every answer, error pages included, so that a page's fetch of a
		// missing file sees the 404 rather than a CORS failure.
		w.AddHeader("Access-Control-Allow-Origin", "*")
		w.AddHeader("Access-Control-Expose-Headers", corsExposedHeaders)
	}
	switch r.Method {
	case http.MethodGet:
		h.DoGET(w, r)
	case http.MethodHead:
		h.DoHEAD(w, r)
	case http.MethodOptions:
		if h.CORS {
			h.DoOPTIONS(w, r)
			return
		}
		fallthrough
	default:
		w.SendError(http.StatusNotImplemented, "Unsupported method ("+basehandler.Repr(r.Method)+")")
	}
}

// DoGET is SimpleHTTPRequestHandler.do_GET: the headers, then the file.
// io.Copy reaches [basehandler.Response.ReadFrom], which hands the file to
// sendfile(2); the file is never read into memory.
func (h *Handler) DoGET(w *basehandler.Response, r *basehandler.Request) {
	if b := h.sendHead(w, r); b.f != nil {
		defer b.f.Close()
		b.send(w) // an error has closed the connection; nothing more to say
	}
}

// DoHEAD is SimpleHTTPRequestHandler.do_HEAD: the headers of GET, without
// the body.
func (h *Handler) DoHEAD(w *basehandler.Response, r *basehandler.Request) {
	if b := h.sendHead(w, r); b.f != nil {
		b.f.Close()
	}
}

// fileBody is what sendHead leaves for DoGET to send, Python's open file
// grown a little: the file, positioned at the first byte of the body, and
// how to send it. f is nil when sendHead has answered in full.
type fileBody struct {
	f      *os.File
	coding coding           // compress on the fly into this coding
	parts  *multipartRanges // a multipart/byteranges body of parts of f
}

// send writes the body to w. For the whole file or a single range,
// Content-Length ends it, and io.Copy hands the file to sendfile(2).
func (b *fileBody) send(w *basehandler.Response) error {
	switch {
	case b.parts != nil:
		return b.parts.send(w, b.f)
	case b.coding != identity:
		return compressTo(w, b.coding, b.f)
	}
	_, err := io.Copy(w, b.f)
	return err
}

// sendHead is Python's send_head: it answers with the headers and returns
// the open file whose bytes make the body, or a zero fileBody when it has
// answered in full (an error, a redirect, 304, 416, or a listing, whose
// body it writes).
func (h *Handler) sendHead(w *basehandler.Response, r *basehandler.Request) fileBody {
	rel, trailingSlash, err := h.TranslatePath(r.Path)
	if err != nil {
		// Python lets the ValueError of a NUL byte escape and drops the
		// connection without an answer.
		w.SendError(http.StatusBadRequest, "Bad request path")
		return fileBody{}
	}
	if h.HideDotfiles && hasDotElement(rel) {
		w.SendError(http.StatusNotFound, "File not found")
		return fileBody{}
	}
	f, err := h.open(w, rel)
	if errors.Is(err, fs.ErrPermission) {
		// Python tests os.path.isdir before opening: a directory that may
		// not be read is still a directory, whose listing fails below.
		if info, serr := h.Root.Stat(rel); serr == nil && info.IsDir() {
			return h.sendDir(w, r, rel, trailingSlash)
		}
	}
	if err != nil {
		w.SendError(http.StatusNotFound, "File not found")
		return fileBody{}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		w.SendError(http.StatusNotFound, "File not found")
		return fileBody{}
	}
	if info.IsDir() {
		f.Close()
		return h.sendDir(w, r, rel, trailingSlash)
	}
	if trailingSlash || !info.Mode().IsRegular() {
		// "file/" is not found (Python's Issue17324). Only regular files
		// are served: a FIFO would block the reader, and a device or
		// socket has no content to send.
		f.Close()
		w.SendError(http.StatusNotFound, "File not found")
		return fileBody{}
	}
	return h.sendFile(w, r, f, info, rel)
}

// hasDotElement reports whether a path from TranslatePath has an element
// that starts with ".": a dot-file or a dot-directory, or something inside
// one. "." alone is the root.
func hasDotElement(rel string) bool {
	if rel == "." {
		return false
	}
	for {
		if rel != "" && rel[0] == '.' {
			return true
		}
		i := strings.IndexByte(rel, '/')
		if i < 0 {
			return false
		}
		rel = rel[i+1:]
	}
}

// sendDir answers for a directory: the redirect that adds a trailing
// slash, else index.html or index.htm, else the listing.
func (h *Handler) sendDir(w *basehandler.Response, r *basehandler.Request, rel string, trailingSlash bool) fileBody {
	if !trailingSlash {
		// Redirect the browser, "doing basically what apache does", so
		// that relative links in the page resolve inside the directory.
		w.SendResponse(http.StatusMovedPermanently)
		w.SendHeader("Location", redirectTarget(r.Path))
		w.SendHeader("Content-Length", "0")
		w.EndHeaders()
		return fileBody{}
	}
	for _, index := range [...]string{"index.html", "index.htm"} {
		name := path.Join(rel, index)
		f, err := h.open(w, name)
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				if info, serr := h.Root.Stat(name); serr == nil && info.Mode().IsRegular() {
					// Python's os.path.isfile picks an index that open()
					// then fails to read: 404.
					w.SendError(http.StatusNotFound, "File not found")
					return fileBody{}
				}
			}
			continue
		}
		info, err := f.Stat()
		if err != nil || !info.Mode().IsRegular() {
			f.Close() // a directory named index.html, say: not an index
			continue
		}
		return h.sendFile(w, r, f, info, name)
	}
	h.sendListing(w, r, rel)
	return fileBody{}
}

// openFlags opens for reading without blocking: opening a FIFO blocks
// until a writer comes, and sendHead serves only regular files anyway.
// O_NONBLOCK has no effect on reading a regular file.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK

// open opens rel, a name from TranslatePath, following symlinks. h.Root
// follows the ones that stay inside it. For one it refuses, rel is
// resolved on disk: a symlink that leads back inside (os.Root follows no
// absolute symlink) is opened through h.Root again; one that leads outside
// is opened only with FollowSymlinks.
func (h *Handler) open(w *basehandler.Response, rel string) (*os.File, error) {
	f, err := h.Root.OpenFile(rel, openFlags, 0)
	if !refused(err) {
		return f, err
	}
	root, name, err := h.reroot(w, rel, err)
	if err != nil {
		return nil, err
	}
	if root != h.Root {
		defer root.Close()
	}
	return root.OpenFile(name, openFlags, 0)
}

// readDir is [listing.Read] of rel, with the symlink handling of open;
// names leaves sizes and times out ([listing.ReadNames]), for Python's
// page.
func (h *Handler) readDir(w *basehandler.Response, rel string, names bool) ([]listing.Entry, error) {
	read := listing.Read
	if names {
		read = listing.ReadNames
	}
	entries, err := read(h.Root, rel)
	if !refused(err) {
		return entries, err
	}
	root, name, err := h.reroot(w, rel, err)
	if err != nil {
		return nil, err
	}
	if root != h.Root {
		defer root.Close()
	}
	return read(root, name)
}

// refused reports whether err may be os.Root refusing to follow a symlink:
// os.Root's error for that is unexported, so any error other than "does
// not exist" and "permission denied" is checked on disk.
func refused(err error) bool {
	return err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission)
}

// reroot finds where rel leads when h.Root refused it with err. It returns
// h.Root and the name inside it when the real path is inside the served
// directory. When it is outside, it returns a root opened on the real
// parent directory, which the caller closes, if FollowSymlinks is set;
// otherwise it logs the refusal and returns fs.ErrNotExist. A path that
// does not resolve on disk (a dangling or looping symlink) keeps err.
func (h *Handler) reroot(w *basehandler.Response, rel string, err error) (*os.Root, string, error) {
	full := filepath.Join(h.Dir, filepath.FromSlash(rel)) // rel holds no "..": still under h.Dir
	real, rerr := filepath.EvalSymlinks(full)
	if rerr != nil {
		return nil, "", err
	}
	if dir, derr := filepath.EvalSymlinks(h.Dir); derr == nil {
		if in, rerr := filepath.Rel(dir, real); rerr == nil && filepath.IsLocal(in) {
			return h.Root, filepath.ToSlash(in), nil
		}
	}
	if !h.FollowSymlinks {
		w.LogMessage("not serving %s: a symlink leads outside the served directory (--follow-symlinks serves it)",
			strconv.Quote("/"+rel))
		return nil, "", fs.ErrNotExist
	}
	dir, name := filepath.Dir(real), filepath.Base(real)
	if dir == real { // a link to "/" itself
		name = "."
	}
	root, oerr := os.OpenRoot(dir)
	if oerr != nil {
		return nil, "", oerr
	}
	return root, name, nil
}
