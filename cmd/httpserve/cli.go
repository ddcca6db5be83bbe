package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/man"
)

// CLI is httpserve's command line. The first five are Python's
// http.server arguments, in Python's order and with Python's help texts.
// The rest are shown in titled groups (see groups): --tls-cert, --tls-key
// and --tls-password-file are Python 3.14's, with its help texts; the
// others are httpserve's own.
type CLI struct {
	// CGI runs scripts in /cgi-bin and /htbin (Python's --cgi).
	CGI bool `name:"cgi" help:"run as CGI server"`

	// Bind is the address to listen on: an IP address, or a host name
	// resolved as Python resolves it (the first address getaddrinfo
	// returns). Empty means every interface, IPv4 and IPv6.
	Bind string `short:"b" placeholder:"ADDRESS" help:"bind to this address (default: all interfaces)"`

	// Directory is the root of the served tree; it must exist and be a
	// directory.
	Directory string `short:"d" placeholder:"DIRECTORY" default:"." help:"serve this directory (default: current directory)"`

	// Protocol is Python's protocol_version: HTTP/1.0 closes the
	// connection after every response, HTTP/1.1 keeps it open. Python
	// accepts any string here; httpserve accepts only these two.
	Protocol string `short:"p" placeholder:"VERSION" default:"HTTP/1.0" help:"conform to this HTTP version (default: ${default})"`

	// Port is the TCP port to listen on; 0 picks a free one, which the
	// banner shows.
	Port int `arg:"" optional:"" default:"8000" help:"bind to this port (default: ${default})"`

	// TLSCert, TLSKey and TLSPasswordFile are Python 3.14's HTTPS flags
	// (tls.go): the PEM certificate chain, the PEM private key (default:
	// the one in TLSCert) and a file holding the key's password.
	TLSCert         string `name:"tls-cert" group:"tls" placeholder:"PATH" help:"path to the TLS certificate chain file"`
	TLSKey          string `name:"tls-key" group:"tls" placeholder:"PATH" help:"path to the TLS key file (default: the key in --tls-cert)"`
	TLSPasswordFile string `name:"tls-password-file" group:"tls" placeholder:"PATH" help:"path to the password file for the TLS key"`
	// TLSSelfSigned serves HTTPS with a certificate made at startup; the
	// banner shows its fingerprint.
	TLSSelfSigned bool `name:"tls-self-signed" group:"tls" help:"serve HTTPS with a new self-signed certificate, and print its SHA-256 fingerprint"`

	// Header lists "Name: value" fields sent with every response
	// (basehandler.Server.ExtraHeaders).
	Header []string `group:"responses" sep:"none" placeholder:"'NAME: VALUE'" help:"send this header field with every response (repeatable)"`
	// CORS lets any web page read the served files (simplehandler.Handler.CORS).
	CORS bool `name:"cors" group:"responses" help:"let any web page read the files (Access-Control-Allow-Origin: *) and answer CORS preflight requests"`
	// Compress sends gzip or zstd to clients that accept them
	// (simplehandler.Handler.Compress).
	Compress bool `group:"responses" help:"compress files and listings with zstd or gzip for clients that accept it, and serve precompressed .zst, .br and .gz siblings"`

	// FollowSymlinks serves symbolic links that lead outside Directory;
	// by default they answer 404.
	FollowSymlinks bool `group:"files" help:"serve symlinks that lead outside the directory"`
	// HideDotfiles hides names starting with "." from listings and
	// answers 404 for them.
	HideDotfiles bool `group:"files" help:"leave names starting with a dot out of listings, and answer 404 for them"`
	// NoListing answers 403 for a directory without an index file.
	NoListing bool `group:"files" help:"answer 403 for a directory without index.html instead of listing it"`
	// Sort, Order and DirsFirst are the listings' default order; the
	// query parameters sort=, order= and dirs= of a request override
	// them, as the column links of a listing do.
	Sort      string `group:"files" enum:"name,size,time" default:"name" placeholder:"KEY" help:"sort listings by name, size or time (default: ${default})"`
	Order     string `group:"files" enum:"asc,desc" default:"asc" placeholder:"ORDER" help:"sort listings in asc(ending) or desc(ending) order (default: ${default})"`
	DirsFirst bool   `group:"files" help:"list directories before files"`

	// The CGI flags configure cgihandler.Handler; each needs --cgi.
	CGIDir      []string      `name:"cgi-dir" group:"cgi" sep:"none" placeholder:"PATH" help:"run the scripts under this URL path (repeatable; default: /cgi-bin and /htbin)"`
	CGIUser     string        `name:"cgi-user" group:"cgi" placeholder:"USER" help:"when started as root, run scripts as this user name or uid (default: nobody)"`
	CGITimeout  time.Duration `name:"cgi-timeout" group:"cgi" default:"5m" placeholder:"DURATION" help:"stop a script that runs longer than this; 0 means no limit (default: ${default})"`
	CGIMax      int           `name:"cgi-max" group:"cgi" default:"64" placeholder:"N" help:"run at most N scripts at once, queueing the rest; 0 means no limit (default: ${default})"`
	CGICleanEnv bool          `name:"cgi-clean-env" group:"cgi" help:"give scripts only PATH, LANG, LC_* and TZ of the server's environment"`
	CGIEnv      []string      `name:"cgi-env" group:"cgi" sep:"none" placeholder:"NAME[=VALUE]" help:"set NAME in scripts' environment, or pass the server's own NAME (repeatable)"`

	// Version prints "httpserve VERSION" and exits.
	Version kong.VersionFlag `help:"print the version and exit"`

	// Man prints the man page, httpserve(1), and exits.
	Man manFlag `hidden:"" help:"print the man page and exit"`
}

// groups are the titles of the help's flag groups; Python's flags have
// none.
var groups = kong.Groups{
	"tls":       "HTTPS flags:",
	"responses": "Response flags:",
	"files":     "File and listing flags:",
	"cgi":       "CGI flags (with --cgi):",
}

// Validate checks what kong's tags cannot; kong calls it after parsing,
// with the parse's context, which tells which flags were given. Each
// error names the flag or argument at fault.
func (c *CLI) Validate(kctx *kong.Context) error {
	if c.Port < 0 || c.Port > 65535 {
		return withHint(fmt.Errorf("port %d is out of range", c.Port),
			"a port is a number from 0 to 65535; 0 picks a free one")
	}
	switch c.Protocol {
	case "HTTP/1.0", "HTTP/1.1":
	default:
		return withHint(fmt.Errorf("--protocol %q is not supported", c.Protocol),
			"use --protocol HTTP/1.0 (the default) or --protocol HTTP/1.1")
	}
	if err := c.validateTLS(); err != nil {
		return err
	}
	for _, h := range c.Header {
		if _, err := parseHeader(h); err != nil {
			return err
		}
	}
	if err := c.validateCGI(givenFlags(kctx)); err != nil {
		return err
	}
	return checkDirectory(c.Directory)
}

// validateTLS checks that the TLS flags go together; loadCertificate
// reads the files later. Python's own messages for the first two.
func (c *CLI) validateTLS() error {
	switch {
	case c.TLSKey != "" && c.TLSCert == "":
		return withHint(errors.New("--tls-key requires --tls-cert to be set"),
			"give the certificate with --tls-cert, or use --tls-self-signed alone")
	case c.TLSPasswordFile != "" && c.TLSCert == "":
		return withHint(errors.New("--tls-password-file requires --tls-cert to be set"),
			"give the certificate with --tls-cert and its encrypted key with --tls-key")
	case c.TLSSelfSigned && c.TLSCert != "":
		return withHint(errors.New("--tls-self-signed cannot be used with --tls-cert"),
			"serve either your own certificate (--tls-cert) or a new self-signed one")
	}
	return nil
}

// validateCGI checks the CGI flags; given holds the names of the flags on
// the command line.
func (c *CLI) validateCGI(given map[string]bool) error {
	if !c.CGI {
		for _, f := range []string{"cgi-dir", "cgi-user", "cgi-timeout", "cgi-max", "cgi-clean-env", "cgi-env"} {
			if given[f] {
				return withHint(fmt.Errorf("--%s requires --cgi", f), "add --cgi to run CGI scripts")
			}
		}
	}
	for _, d := range c.CGIDir {
		if !validCGIDir(d) {
			return withHint(fmt.Errorf("--cgi-dir %q is not a directory path", d),
				`--cgi-dir takes a URL path below the root without "..", such as /cgi-bin`)
		}
	}
	if c.CGITimeout < 0 {
		return withHint(fmt.Errorf("--cgi-timeout %v is negative", c.CGITimeout),
			"give a duration such as 30s or 10m; 0 means no limit")
	}
	if c.CGIMax < 0 {
		return withHint(fmt.Errorf("--cgi-max %d is negative", c.CGIMax),
			"give the number of scripts that may run at once; 0 means no limit")
	}
	for _, e := range c.CGIEnv {
		name, _, _ := strings.Cut(e, "=")
		if name == "" || strings.ContainsAny(e, "\x00") {
			return withHint(fmt.Errorf("--cgi-env %q is not NAME or NAME=VALUE", e),
				"--cgi-env NAME=VALUE sets NAME; --cgi-env NAME passes the server's own NAME")
		}
	}
	return nil
}

// validCGIDir reports whether d is a URL path that names a directory below
// the root: absolute, with no ".." and at least one other element.
func validCGIDir(d string) bool {
	if !strings.HasPrefix(d, "/") {
		return false
	}
	named := false
	for elem := range strings.SplitSeq(d, "/") {
		switch elem {
		case "..":
			return false
		case "", ".":
		default:
			named = true
		}
	}
	return named
}

// givenFlags returns the names of the flags on the command line (or, if
// kong ever resolves one from the environment, set from there).
func givenFlags(kctx *kong.Context) map[string]bool {
	given := make(map[string]bool)
	if kctx == nil {
		return given
	}
	for _, p := range kctx.Path {
		if p.Flag != nil {
			given[p.Flag.Name] = true
		}
	}
	return given
}

// parseHeader parses a --header value, "Name: value" (RFC 9110 section
// 5): the name must be a token, the value may not hold control
// characters other than tab, and white space around it is dropped. The
// fields that frame the message or that the server always sends are
// refused: a second Content-Length or Connection would corrupt the
// framing, and a second Date or Server would contradict the first.
func parseHeader(s string) (basehandler.Header, error) {
	hint := `--header takes "Name: value", such as --header 'Cache-Control: no-store'`
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return basehandler.Header{}, withHint(fmt.Errorf("--header %q has no colon", s), hint)
	}
	if !isToken(name) {
		return basehandler.Header{}, withHint(fmt.Errorf("--header %q: %q is not a valid field name", s, name), hint)
	}
	value = strings.Trim(value, " \t")
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return basehandler.Header{}, withHint(fmt.Errorf("--header %q: the value holds a control character", s), hint)
		}
	}
	switch http.CanonicalHeaderKey(name) {
	case "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection",
		"Te", "Trailer", "Upgrade", "Date", "Server":
		return basehandler.Header{}, withHint(fmt.Errorf("--header %q: httpserve sets %s itself", s, name),
			"--header adds fields; it cannot replace the ones that frame the response")
	}
	return basehandler.Header{Name: name, Value: value}, nil
}

// isToken reports whether s is a token (RFC 9110 section 5.6.2):
// one or more of the visible ASCII characters but the delimiters.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// extraHeaders returns the --header fields; Validate has checked them.
func (c *CLI) extraHeaders() []basehandler.Header {
	var hs []basehandler.Header
	for _, s := range c.Header {
		if h, err := parseHeader(s); err == nil {
			hs = append(hs, h)
		}
	}
	return hs
}

// checkDirectory reports whether dir can be served, in words that name it.
func checkDirectory(dir string) error {
	fi, err := os.Stat(dir)
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return withHint(fmt.Errorf("directory %q does not exist", dir),
			"--directory takes an existing directory; the default is the current one")
	case errors.As(err, &pe):
		return fmt.Errorf("directory %q: %w", dir, pe.Err)
	case err != nil:
		return fmt.Errorf("directory %q: %w", dir, err)
	case !fi.IsDir():
		return withHint(fmt.Errorf("--directory %q is not a directory", dir),
			"to serve one file, serve the directory that holds it")
	}
	return nil
}

// newParser builds the kong parser for cli. Output goes to stdout and
// stderr, and kong calls exit where it would call os.Exit (after --help,
// --version and --man), so that tests can run it.
func newParser(cli *CLI, stdout, stderr io.Writer, exit func(int)) (*kong.Kong, error) {
	return kong.New(cli,
		kong.Name("httpserve"),
		kong.Description("serve the files in a directory over HTTP, like python3 -m http.server"),
		kong.Writers(stdout, stderr),
		kong.Exit(exit),
		kong.Vars{"version": "httpserve " + getVersion()},
		groups,
		kong.PostBuild(func(k *kong.Kong) error {
			// Python's wording, lowercase like every other help text.
			k.Model.HelpFlag.Help = "show this help message and exit"
			return nil
		}),
	)
}

// manFlag prints the man page, like mango-kong's ManFlag, but with
// httpserve's extra sections and a stable heading (see package man).
type manFlag bool

// BeforeReset runs as soon as --man is seen, before any other flag is
// checked, as kong's --help and --version do.
func (manFlag) BeforeReset(app *kong.Kong) error {
	app.Stdout.Write(man.Page(app))
	app.Exit(exitOK)
	return nil
}
