// Package man renders httpserve's manual page, httpserve(1), from the kong
// model of its command line, so that the page lists exactly the flags the
// program accepts. mango-kong writes NAME, SYNOPSIS and OPTIONS from the
// model; this package adds the sections a parser knows nothing about:
// DESCRIPTION, EXAMPLES, ENVIRONMENT, EXIT STATUS and SEE ALSO.
//
// The page is committed as man/httpserve.1 and checked by a golden test in
// cmd/httpserve, which owns the command line; "go test ./cmd/httpserve
// -update" rewrites it. To read it: man -l man/httpserve.1.
package man

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/alecthomas/kong"
	mangokong "github.com/alecthomas/mango-kong"
	"github.com/muesli/roff"
)

// Page renders the man page for app, a parser built from httpserve's CLI
// struct. The output is the same on every run: mango stamps the page with
// today's date, which Page removes (an empty date is valid in man(7)), so
// the golden file does not go stale overnight.
func Page(app *kong.Kong) []byte {
	m := mangokong.NewManPage(1, app.Model)
	// mango-kong skips hidden commands but not hidden flags.
	for _, f := range app.Model.Flags {
		if f.Hidden {
			delete(m.Root.Flags, strings.TrimPrefix(f.Summary(), "--"))
		}
	}
	m.WithLongDescription(description)
	m.WithSection("Listings", listings)
	m.WithSection("Examples", examples)
	m.WithSection("Environment", environment)
	m.WithSection("Exit status", exitStatus)
	m.WithSection("See also", seeAlso)
	page := m.Build(roff.NewDocument())
	return fixHeading(page, app.Model.Name)
}

// fixHeading replaces mango's .TH line, the first, with one that has no
// date and follows man-pages(7): title, section, date, source, manual.
func fixHeading(page, name string) []byte {
	_, rest, _ := strings.Cut(page, "\n")
	var b bytes.Buffer
	fmt.Fprintf(&b, ".TH %s 1 \"\" \"%s\" \"User Commands\"\n", strings.ToUpper(name), name)
	b.WriteString(rest)
	if !strings.HasSuffix(rest, "\n") {
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// The sections below are plain text for mango: every line is a paragraph,
// a line starting with "*" is a list item (an empty line ends a list), and
// roff requests cannot be written (mango escapes them). No line may start
// with an apostrophe, which roff would take for a request.

const description = `httpserve serves the files in a directory over HTTP. It answers GET and HEAD requests with the contents of files, and answers a request for a directory with its index.html or, if there is none, a generated listing. It is a drop-in replacement for python3 -m http.server: it takes the same arguments, prints the same startup banner and log lines, and gives the same answers, from one static binary.
The optional PORT argument is the TCP port to listen on (default: 8000); port 0 picks a free port, which the banner shows.
Where httpserve differs from Python on purpose:
* Without --bind it listens on every interface, IPv6 included, though the banner says 0.0.0.0 as Python does.
* Symbolic links that lead outside the served directory are not followed unless --follow-symlinks is given.
* --protocol accepts only HTTP/1.0 and HTTP/1.1.
* Errors are one line, such as "httpserve: error: port 8000 is already in use", not a Python traceback.

HTTPS: --tls-cert, --tls-key and --tls-password-file work as in Python 3.14. The certificate file holds the PEM certificate chain, the server's certificate first; the key file holds a PEM private key (RSA, ECDSA or Ed25519; PKCS#8, PKCS#1 or SEC 1), and without --tls-key the key is read from the certificate file. An encrypted key, PKCS#8 (PBES2 with PBKDF2 and AES or triple DES, as openssl genpkey -aes256 writes it) or the legacy OpenSSL format (Proc-Type: 4,ENCRYPTED), is decrypted with the password in --tls-password-file, white space around it removed. --tls-self-signed instead makes an ECDSA P-256 certificate at startup, kept only in memory and valid for a year, for localhost, 127.0.0.1, ::1, this machine's host name and the bound address (every address of this machine when bound to all interfaces). The banner then says HTTPS, and a second line gives the certificate's SHA-256 fingerprint, to compare with the one the browser shows:
    Serving HTTPS on 0.0.0.0 port 8443 (https://0.0.0.0:8443/) ...
    Certificate SHA-256 fingerprint: 3A:7F:...:C2
Only TLS 1.2 and 1.3 are offered, with ALPN http/1.1. A plain HTTP request sent to the HTTPS port gets a 400 response saying so.

Listings are sorted by name, case-insensitively as in Python, unless --sort, --order or --dirs-first say otherwise; the column headings of a listing link to the other orders with the query parameters sort=name|size|time, order=asc|desc and dirs=first|mixed, which override the flags for that request.

With --cgi, executable files under /cgi-bin and /htbin (or the --cgi-dir paths) are run as CGI/1.1 scripts (RFC 3875) for any method, with the request body on their standard input; POST to anything else is answered with 501, as in Python. When httpserve runs as root, scripts run as nobody (or the --cgi-user user). A script that runs longer than --cgi-timeout is stopped, and at most --cgi-max scripts run at once. Their standard error goes to the log.

Each request is logged to standard error, one line each, in the format of Python's http.server. Ctrl-C or SIGTERM stops the server gracefully: it stops accepting connections, prints "Keyboard interrupt received, exiting." and lets requests in flight finish for up to five seconds. A second Ctrl-C or SIGTERM ends it at once.`

const listings = `Without options, a directory without index.html or index.htm is listed on Python's page, byte for byte. The query ?sort=name|size|time, ?order=asc|desc and ?dirs=first|mixed, or the flags --sort, --order and --dirs-first, give a richer page with the same links, a parent link, sizes, modification times in UTC and sort links. ?format=json, or an Accept header that prefers application/json to text/html, gives JSON: {"path": "/dir/", "entries": [{"name", "type" ("file" or "dir"), "symlink", "size" (null for a directory), "mtime" (RFC 3339), "href"}]}.

Files carry ETag, Last-Modified and Accept-Ranges: bytes; If-Match, If-None-Match, If-Unmodified-Since, If-Modified-Since, Range and If-Range are honoured (RFC 9110).`

const examples = `Serve the current directory on port 8000, on every interface:
    httpserve
Serve ~/public on port 8080:
    httpserve 8080 -d ~/public
Serve only this machine, with HTTP/1.1 keep-alive connections:
    httpserve -b 127.0.0.1 -p HTTP/1.1
Serve on any free port, and read the port from the banner:
    httpserve 0
Run CGI scripts in /cgi-bin and /htbin, as python3 -m http.server --cgi does:
    httpserve --cgi
Run CGI scripts in /api only, as user www-data, for at most 30 seconds each:
    httpserve --cgi --cgi-dir /api --cgi-user www-data --cgi-timeout 30s
Serve HTTPS with a certificate and an encrypted key:
    httpserve 8443 --tls-cert cert.pem --tls-key key.pem --tls-password-file password.txt
Serve HTTPS with a throwaway certificate, on this machine only:
    httpserve 8443 -b 127.0.0.1 --tls-self-signed
Let web pages on other origins fetch the files, never cached:
    httpserve --cors --header 'Cache-Control: no-store'
List the newest files first, directories before them, and hide dot-files:
    httpserve --sort time --order desc --dirs-first --hide-dotfiles`

const environment = `httpserve reads no environment variables of its own.
COLUMNS sets the width that --help wraps its text to.
CGI scripts inherit httpserve's environment, without variables named HTTP_* or like a CGI meta-variable; with --cgi-clean-env only PATH, LANG, LC_* and TZ, plus the --cgi-env variables.`

const exitStatus = `0 means the server was stopped by Ctrl-C or SIGTERM, or --help or --version printed its text.
1 means the server stopped because accepting connections failed.
2 means a flag or argument was wrong (an unknown flag, a port outside 0 to 65535, a --protocol other than HTTP/1.0 or HTTP/1.1, a --directory that does not exist, a malformed --header, a --cgi-user that does not exist), or the server could not start (the port is already in use, the --bind address is not valid or not an address of this machine, or the TLS certificate or key cannot be read, is encrypted without --tls-password-file, or its password is wrong).
A second Ctrl-C or SIGTERM during shutdown ends the process by that signal.`

const seeAlso = `python3(1), and the documentation of Python's http.server module: https://docs.python.org/3/library/http.server.html`
