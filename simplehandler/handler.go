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
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/listing"
)

// Handler serves the files of one directory: Python's
// SimpleHTTPRequestHandler. It holds configuration only and is shared by
// every connection.
type Handler struct {
	Root           *os.Root // the served directory (os.Root: nothing outside it can be opened)
	Dir            string   // its absolute path on disk
	FollowSymlinks bool     // serve symlinks that lead outside the root (off: 404 and a log line)
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
// do_HEAD; any other method is answered with 501.
func (h *Handler) ServeRequest(w *basehandler.Response, r *basehandler.Request) {
	switch r.Method {
	case http.MethodGet:
		h.DoGET(w, r)
	case http.MethodHead:
		h.DoHEAD(w, r)
	default:
		w.SendError(http.StatusNotImplemented, "Unsupported method ("+pyRepr(r.Method)+")")
	}
}

// DoGET is SimpleHTTPRequestHandler.do_GET: the headers, then the file.
// io.Copy reaches [basehandler.Response.ReadFrom], which hands the file to
// sendfile(2); the file is never read into memory.
func (h *Handler) DoGET(w *basehandler.Response, r *basehandler.Request) {
	if f := h.sendHead(w, r); f != nil {
		defer f.Close()
		io.Copy(w, f) // an error has closed the connection; nothing more to say
	}
}

// DoHEAD is SimpleHTTPRequestHandler.do_HEAD: the headers of GET, without
// the body.
func (h *Handler) DoHEAD(w *basehandler.Response, r *basehandler.Request) {
	if f := h.sendHead(w, r); f != nil {
		f.Close()
	}
}

// sendHead is Python's send_head: it answers with the headers and returns
// the open file whose bytes make the body, or nil when it has answered in
// full (an error, a redirect, 304, or a listing, whose body it writes).
func (h *Handler) sendHead(w *basehandler.Response, r *basehandler.Request) *os.File {
	rel, trailingSlash, err := h.TranslatePath(r.Path)
	if err != nil {
		// Python lets the ValueError of a NUL byte escape and drops the
		// connection without an answer.
		w.SendError(http.StatusBadRequest, "Bad request path")
		return nil
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
		return nil
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		w.SendError(http.StatusNotFound, "File not found")
		return nil
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
		return nil
	}
	return h.sendFile(w, r, f, info, rel)
}

// sendDir answers for a directory: the redirect that adds a trailing
// slash, else index.html or index.htm, else the listing.
func (h *Handler) sendDir(w *basehandler.Response, r *basehandler.Request, rel string, trailingSlash bool) *os.File {
	if !trailingSlash {
		// Redirect the browser, "doing basically what apache does", so
		// that relative links in the page resolve inside the directory.
		w.SendResponse(http.StatusMovedPermanently)
		w.SendHeader("Location", redirectTarget(r.Path))
		w.SendHeader("Content-Length", "0")
		w.EndHeaders()
		return nil
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
					return nil
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
	return nil
}

// listBufPool holds the buffers listings are rendered into; one of more
// than maxPooledListing bytes is left to the garbage collector, so a huge
// directory does not pin its page's memory.
var listBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

const maxPooledListing = 256 << 10

// sendListing is Python's list_directory: the page is rendered whole, so
// that a failure can still become an error page, then sent with its
// length.
func (h *Handler) sendListing(w *basehandler.Response, r *basehandler.Request, rel string) {
	entries, err := h.readDir(w, rel)
	if err != nil {
		w.SendError(http.StatusNotFound, "No permission to list directory")
		return
	}
	listing.Sort(entries)
	buf := listBufPool.Get().(*[]byte)
	page, err := (&listing.Page{Path: r.Path, Entries: entries}).AppendHTML((*buf)[:0])
	if err != nil {
		listBufPool.Put(buf)
		w.LogError("listing %q: %v", r.Path, err)
		w.SendError(http.StatusInternalServerError, "")
		return
	}
	w.SendResponse(http.StatusOK)
	w.SendHeader("Content-type", listing.ContentType)
	w.SendHeader("Content-Length", strconv.Itoa(len(page)))
	w.EndHeaders()
	w.Write(page)
	if cap(page) <= maxPooledListing {
		*buf = page[:0]
		listBufPool.Put(buf)
	}
}

// sendFile answers with f, the regular file rel: 304 when the client's
// copy is current, else the headers of Python's send_head and
// X-Content-Type-Options. It returns f for the body, or nil (with f
// closed) after a 304.
func (h *Handler) sendFile(w *basehandler.Response, r *basehandler.Request, f *os.File, info fs.FileInfo, rel string) *os.File {
	mtime := info.ModTime()
	if notModified(r.Header, mtime) {
		// Python sends the status line, Server and Date, and nothing
		// else: no validator, no length.
		f.Close()
		w.SendResponse(http.StatusNotModified)
		w.EndHeaders()
		return nil
	}
	head := fileHead{f: f}
	ctype := ContentType(rel, head.read)
	head.release()

	w.SendResponse(http.StatusOK)
	w.SendHeader("Content-type", ctype)
	var num [20]byte
	w.SendHeader("Content-Length", string(strconv.AppendInt(num[:0], info.Size(), 10)))
	var date [len(http.TimeFormat)]byte
	w.SendHeader("Last-Modified", string(mtime.UTC().AppendFormat(date[:0], http.TimeFormat)))
	// The type may come from sniffing; browsers must not sniff again and
	// promote text to HTML.
	w.SendHeader("X-Content-Type-Options", "nosniff")
	w.EndHeaders()
	return f
}

// fileHead reads the first bytes of a file for [SniffType], into a buffer
// borrowed from headPool for the length of one request. ReadAt leaves the
// file offset at 0, where the body starts.
type fileHead struct {
	f   *os.File
	buf *[mimeSniffLen]byte
}

var headPool = sync.Pool{New: func() any { return new([mimeSniffLen]byte) }}

func (h *fileHead) read() []byte {
	h.buf = headPool.Get().(*[mimeSniffLen]byte)
	n, _ := h.f.ReadAt(h.buf[:], 0) // io.EOF for a short file; a failed read sniffs what it got
	return h.buf[:n]
}

func (h *fileHead) release() {
	if h.buf != nil {
		headPool.Put(h.buf)
		h.buf = nil
	}
}

// notModified reports whether the client's copy, dated by
// If-Modified-Since, is current: Python's check, made only when
// If-None-Match is absent (RFC 9110 section 13.1.3 says the same). The
// file time is truncated to whole seconds, the resolution of the header.
func notModified(header http.Header, mtime time.Time) bool {
	v := header["If-Modified-Since"]
	if len(v) == 0 {
		return false
	}
	if _, ok := header["If-None-Match"]; ok {
		return false
	}
	ims, ok := parseHTTPDate(v[0])
	return ok && !mtime.Truncate(time.Second).After(ims)
}

// parseHTTPDate parses an HTTP date as Python's send_head accepts it.
//
// Python parses with email.utils.parsedate_to_datetime, a lenient RFC 5322
// parser, and uses the result only when it is in UTC or has no zone (an
// obsolete form taken as UTC, RFC 9110 section 5.6.7). Here the date must
// be in one of the three forms RFC 9110 names (IMF-fixdate, RFC 850,
// asctime, as [http.ParseTime] reads them), and its zone must be UTC.
// Other forms are ignored, which costs the client a full response, never a
// wrong 304.
func parseHTTPDate(s string) (time.Time, bool) {
	t, err := http.ParseTime(s)
	if err != nil {
		return time.Time{}, false
	}
	name, offset := t.Zone()
	if offset != 0 {
		return time.Time{}, false
	}
	switch name {
	case "AST", "ADT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT":
		// Zones Python knows to be off UTC; time.Parse gives an unknown
		// abbreviation a zero offset.
		return time.Time{}, false
	}
	return t, true
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

// readDir is [listing.Read] of rel, with the symlink handling of open.
func (h *Handler) readDir(w *basehandler.Response, rel string) ([]listing.Entry, error) {
	entries, err := listing.Read(h.Root, rel)
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
	return listing.Read(root, name)
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

// pyRepr quotes s as Python's repr() quotes a str read from the wire as
// ISO-8859-1, for the 501 message "Unsupported method ('BREW')": single
// quotes, or double quotes when s holds a single quote and no double
// quote; backslash and the quote escaped; \t, \n, \r; \xHH for the other
// bytes Python does not print.
func pyRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = append(b, quote)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == quote || c == '\\':
			b = append(b, '\\', c)
		case c == '\t':
			b = append(b, `\t`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad:
			b = append(b, '\\', 'x', hex[c>>4], hex[c&0xf])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			b = utf8.AppendRune(b, rune(c)) // the Latin-1 character
		}
	}
	return string(append(b, quote))
}
