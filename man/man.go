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

Each request is logged to standard error, one line each, in the format of Python's http.server. Ctrl-C or SIGTERM stops the server gracefully: it stops accepting connections, prints "Keyboard interrupt received, exiting." and lets requests in flight finish for up to five seconds. A second Ctrl-C or SIGTERM ends it at once.`

const examples = `Serve the current directory on port 8000, on every interface:
    httpserve
Serve ~/public on port 8080:
    httpserve 8080 -d ~/public
Serve only this machine, with HTTP/1.1 keep-alive connections:
    httpserve -b 127.0.0.1 -p HTTP/1.1
Serve on any free port, and read the port from the banner:
    httpserve 0
Run CGI scripts in /cgi-bin and /htbin, as python3 -m http.server --cgi does:
    httpserve --cgi`

const environment = `httpserve reads no environment variables of its own.
COLUMNS sets the width that --help wraps its text to.`

const exitStatus = `0 means the server was stopped by Ctrl-C or SIGTERM, or --help or --version printed its text.
1 means the server stopped because accepting connections failed.
2 means a flag or argument was wrong (an unknown flag, a port outside 0 to 65535, a --protocol other than HTTP/1.0 or HTTP/1.1, a --directory that does not exist), or the server could not start (the port is already in use, or the --bind address is not valid or not an address of this machine).
A second Ctrl-C or SIGTERM during shutdown ends the process by that signal.`

const seeAlso = `python3(1), and the documentation of Python's http.server module: https://docs.python.org/3/library/http.server.html`
