package cgihandler

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/simplehandler"
)

// Defaults of the Handler fields whose zero value means "the default".
const (
	// DefaultTimeout bounds a script's run time when Timeout is 0.
	DefaultTimeout = 5 * time.Minute

	// DefaultMaxScripts is how many scripts may run at once when MaxScripts
	// is 0. Each script costs a process and four file descriptors; 64 keeps
	// a burst from exhausting either while leaving any real CGI workload
	// (which is rarely CPU-bound on a small machine) unthrottled.
	DefaultMaxScripts = 64

	// DefaultQueueTimeout is how long a request waits for a free script slot
	// when QueueTimeout is 0, before it is answered with 503.
	DefaultQueueTimeout = 30 * time.Second

	// DefaultMaxChunkedBody bounds a chunked request body when
	// MaxChunkedBody is 0: 1 GiB, Apache's LimitRequestBody default.
	DefaultMaxChunkedBody = 1 << 30

	// maxInternalRedirects bounds the chain of local "Location: /path"
	// answers (RFC 3875 section 6.2.2) served for one request, as Apache's
	// LimitInternalRecursion does.
	maxInternalRedirects = 10
)

// DefaultDirs returns Python's cgi_directories, used when Dirs is nil.
func DefaultDirs() []string { return []string{"/cgi-bin", "/htbin"} }

// Handler serves a directory like [simplehandler.Handler] and runs the
// CGI scripts in its CGI directories: Python's CGIHTTPRequestHandler.
//
// The exported fields are configuration, read once, when the first
// request arrives (or when [Handler.Init] is called); they must not change
// afterwards, and a Handler must not be copied once in use.
type Handler struct {
	// Files serves every request that is not for a script. Its Dir is the
	// document root in which scripts are looked up. Required.
	Files *simplehandler.Handler

	// Dirs lists the CGI directories as URL paths (Python's
	// cgi_directories), each matched against the whole leading segments of
	// the collapsed request path: "/cgi-bin" matches "/cgi-bin/x" but not
	// "/cgi-binx". nil means [DefaultDirs]; an empty non-nil slice means
	// none.
	Dirs []string

	// User is the account scripts run as when the server runs as root: a
	// user name or a numeric uid, whose primary group and supplementary
	// groups the script gets too. "" means "nobody", as in Python. A server
	// that does not run as root cannot switch users, so User must then be
	// "" or the server's own user, and scripts run as the server.
	User string

	// CleanEnv starts each script's environment from PATH, LANG, LC_* and
	// TZ only, instead of the whole server environment.
	CleanEnv bool

	// Env adds variables to every script's environment: "NAME=VALUE" sets
	// NAME; a bare "NAME" copies the server's own NAME, if it has one. Env
	// is applied after the CGI meta-variables and so can override them.
	Env []string

	// ServerSoftware is SERVER_SOFTWARE; "" means "httpserve". The CLI sets
	// it to the Server header's value (basehandler.Server.Version).
	ServerSoftware string

	// Timeout bounds a script's run time, from its start to the end of its
	// output; a script still running then is killed. 0 means
	// DefaultTimeout; a negative value means no limit.
	Timeout time.Duration

	// MaxScripts bounds how many scripts run at once; further requests
	// wait for a slot. 0 means DefaultMaxScripts; a negative value means no
	// limit.
	MaxScripts int

	// QueueTimeout bounds a request's wait for a script slot; a request
	// that cannot get one in time is answered with 503. 0 means
	// DefaultQueueTimeout; a negative value means no wait at all.
	QueueTimeout time.Duration

	// MaxChunkedBody bounds, in bytes, a chunked request body, which is
	// written to a temporary file before the script starts (its length
	// must be known for CONTENT_LENGTH): a longer one is answered with 413
	// and no script runs, so that clients cannot fill the disk. 0 means
	// DefaultMaxChunkedBody; a negative value means no limit. A body with
	// Content-Length is streamed to the script, which decides how much it
	// reads, and is not bounded here.
	MaxChunkedBody int64

	once    sync.Once
	cfg     *config
	initErr error
}

var _ basehandler.Handler = (*Handler)(nil)

// config is the Handler's configuration, resolved once.
type config struct {
	files        *simplehandler.Handler
	dirs         map[string]bool
	root         string   // Files.Dir, absolute: DOCUMENT_ROOT
	realRoot     string   // root with symlinks resolved: scripts must be inside
	runAs        identity // whom scripts run as
	env          []string // the environment every script starts from
	extraEnv     []string // Env, resolved: applied last
	software     string
	timeout      time.Duration // 0: none
	queueTimeout time.Duration // 0: no wait
	maxChunked   int64         // 0: no limit
	slots        chan struct{} // nil: no limit
}

// Init checks and resolves the configuration: the document root, the
// user scripts run as, Env. ServeRequest calls it on first use; the CLI
// may call it first so that a bad configuration stops the server before
// it serves anything.
func (h *Handler) Init() error {
	h.once.Do(func() { h.cfg, h.initErr = h.resolve() })
	return h.initErr
}

func (h *Handler) resolve() (*config, error) {
	if h.Files == nil {
		return nil, errors.New("cgihandler: Files is nil")
	}
	c := &config{files: h.Files, software: h.ServerSoftware}
	if c.software == "" {
		c.software = "httpserve"
	}
	var err error
	if c.root, err = filepath.Abs(h.Files.Dir); err != nil {
		return nil, fmt.Errorf("cgihandler: %w", err)
	}
	if c.realRoot, err = filepath.EvalSymlinks(c.root); err != nil {
		return nil, fmt.Errorf("cgihandler: %w", err)
	}
	dirs := h.Dirs
	if dirs == nil {
		dirs = DefaultDirs()
	}
	c.dirs = make(map[string]bool, len(dirs))
	for _, d := range dirs {
		clean, err := collapsePath(d)
		if err != nil || clean == "/" || slices.Contains(strings.Split(d, "/"), "..") {
			return nil, fmt.Errorf("cgihandler: bad CGI directory %q", d)
		}
		c.dirs[strings.TrimSuffix(clean, "/")] = true
	}
	if c.runAs, err = lookupIdentity(h.User); err != nil {
		return nil, err
	}
	if c.env, c.extraEnv, err = baseEnv(os.Environ(), h.CleanEnv, h.Env); err != nil {
		return nil, err
	}
	closeOnExec()
	c.timeout = orDefault(h.Timeout, DefaultTimeout)
	c.queueTimeout = orDefault(h.QueueTimeout, DefaultQueueTimeout)
	switch {
	case h.MaxChunkedBody == 0:
		c.maxChunked = DefaultMaxChunkedBody
	case h.MaxChunkedBody > 0:
		c.maxChunked = h.MaxChunkedBody
	}
	switch {
	case h.MaxScripts == 0:
		c.slots = make(chan struct{}, DefaultMaxScripts)
	case h.MaxScripts > 0:
		c.slots = make(chan struct{}, h.MaxScripts)
	}
	return c, nil
}

// orDefault maps 0 to def and a negative duration to 0 ("none").
func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// ServeRequest runs the script a request names (Python's is_cgi, then
// run_cgi), whatever its method; refuses POST to anything else, as Python
// does; and hands every other request to Files.
func (h *Handler) ServeRequest(w *basehandler.Response, r *basehandler.Request) {
	h.serve(w, r, 0)
}

func (h *Handler) serve(w *basehandler.Response, r *basehandler.Request, depth int) {
	if err := h.Init(); err != nil {
		w.LogError("%v", err)
		w.SendError(http.StatusInternalServerError, "")
		return
	}
	c := h.cfg
	if strings.HasPrefix(r.Path, "/") {
		urlPath, query, _ := strings.Cut(r.Path, "?")
		clean, err := collapsePath(urlPath)
		if err != nil {
			// Python's is_cgi raises IndexError on a ".." that climbs
			// above the root and sends nothing at all.
			w.SendError(http.StatusNotFound, "File not found")
			return
		}
		if dir, rest, ok := c.match(clean); ok {
			s, err := c.locate(dir, rest)
			if err != nil {
				sendStatusError(w, err)
				return
			}
			s.query = query
			redirect := h.run(w, r, c, s)
			if redirect != "" {
				h.internalRedirect(w, r, redirect, depth)
			}
			return
		}
		// Files reads the path its own way: it stops at a raw "#", which
		// is part of a name here. "/cgi-bin/x.sh#/../../y" is "/y" to
		// the code above but "/cgi-bin/x.sh" to Files, which would send
		// the script's source. Nothing in a CGI directory is served as a
		// file.
		if rel, slash, err := c.files.TranslatePath(r.Path); err == nil && rel != "." {
			filesPath := "/" + rel
			if slash {
				filesPath += "/"
			}
			if _, _, ok := c.match(filesPath); ok {
				w.SendError(http.StatusNotFound, "File not found")
				return
			}
		}
	}
	if r.Method == http.MethodPost {
		w.SendError(http.StatusNotImplemented, "Can only POST to CGI scripts")
		return
	}
	c.files.ServeRequest(w, r)
}

// internalRedirect serves a script's local redirect (RFC 3875 section
// 6.2.2): the response is the one a GET of the new path would have had.
// The request body, if any, was the script's; the new request has none.
func (h *Handler) internalRedirect(w *basehandler.Response, r *basehandler.Request, location string, depth int) {
	if depth+1 > maxInternalRedirects {
		w.LogError("cgi: more than %d internal redirects, the last to %q", maxInternalRedirects, location)
		w.SendError(http.StatusInternalServerError, "")
		return
	}
	nr := *r // keeps the context, the addresses and the TLS state
	if r.Method != http.MethodHead {
		// HEAD stays HEAD: its answer has no body either way, and the
		// target need not do the work of a GET.
		nr.Method = http.MethodGet
	}
	nr.Target, nr.Path = location, location
	nr.Header = r.Header.Clone()
	for _, k := range [...]string{"Content-Length", "Content-Type", "Transfer-Encoding", "Expect"} {
		delete(nr.Header, k)
	}
	nr.ContentLength, nr.Chunked, nr.Body = 0, false, http.NoBody
	h.serve(w, &nr, depth+1)
}

// statusError is an answer for the client: a status and Python's
// message. It carries nothing but what the client sent.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return fmt.Sprintf("%d %s", e.code, e.msg) }

// sendStatusError answers with err's status, or 500 for any other error,
// whose text goes only to the log.
func sendStatusError(w *basehandler.Response, err error) {
	var se *statusError
	if errors.As(err, &se) {
		w.SendError(se.code, se.msg)
		return
	}
	w.LogError("cgi: %v", err)
	w.SendError(http.StatusInternalServerError, "")
}

// script is one request's CGI script, as located in the document root.
type script struct {
	name     string // SCRIPT_NAME: the URL path of the script, decoded
	base     string // the last element of name: argv[0]
	file     string // SCRIPT_FILENAME: its path under the document root
	exe      string // file with every symlink resolved: what is executed
	dir      string // the directory of file: the working directory
	pathInfo string // PATH_INFO, decoded
	query    string // QUERY_STRING, as sent
	nph      bool   // a non-parsed-header script (nph-*)
}

// match is Python's is_cgi: it reports whether the collapsed path clean
// lies in a CGI directory, and splits it after the first (shortest) CGI
// directory it starts with. A CGI directory matches only when a "/"
// follows it: "/cgi-bin" itself is a directory for Files.
func (c *config) match(clean string) (dir, rest string, ok bool) {
	for i := 1; i < len(clean); i++ {
		if clean[i] == '/' && c.dirs[clean[:i]] {
			return clean[:i], clean[i+1:], true
		}
	}
	return "", "", false
}

// locate is the first half of Python's run_cgi. The part after the CGI
// directory is walked while its leading elements are directories, so
// scripts may live in subdirectories; the next element is the script, and
// whatever follows it is PATH_INFO. Then the script must exist (404), be
// a regular file (403) and be executable by the user it will run as
// (403). A script is never run from outside the document root, symlinks
// included.
func (c *config) locate(dir, rest string) (*script, error) {
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			break
		}
		next := dir + "/" + rest[:i]
		if fi, err := os.Stat(c.fileOf(next)); err != nil || !fi.IsDir() {
			break
		}
		dir, rest = next, rest[i+1:]
	}
	s := &script{}
	var base string
	base, s.pathInfo, _ = strings.Cut(rest, "/")
	if rest != base {
		s.pathInfo = "/" + s.pathInfo
	}
	s.name, s.base = dir+"/"+base, base
	s.nph = strings.HasPrefix(base, "nph-")
	s.file = c.fileOf(s.name)
	s.dir = filepath.Dir(s.file)
	notFound := &statusError{http.StatusNotFound, "No such CGI script (" + pyRepr(s.name) + ")"}
	exe, err := filepath.EvalSymlinks(s.file)
	if err != nil {
		return nil, notFound
	}
	if in, err := filepath.Rel(c.realRoot, exe); err != nil || !filepath.IsLocal(in) {
		return nil, notFound
	}
	s.exe = exe
	fi, err := os.Stat(exe)
	if err != nil {
		return nil, notFound
	}
	if !fi.Mode().IsRegular() {
		return nil, &statusError{http.StatusForbidden, "CGI script is not a plain file (" + pyRepr(s.name) + ")"}
	}
	if !c.runAs.canExec(fi) {
		return nil, &statusError{http.StatusForbidden, "CGI script is not executable (" + pyRepr(s.name) + ")"}
	}
	return s, nil
}

// fileOf maps a collapsed URL path to its file under the document root.
// The path holds no ".." (collapsePath resolved them, refusing any that
// climbs above the root), so the result cannot leave the root lexically.
func (c *config) fileOf(urlPath string) string {
	return filepath.Join(c.root, filepath.FromSlash(urlPath))
}
