package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/alecthomas/kong"

	"github.com/httpserve/httpserve/man"
)

// CLI is httpserve's command line. The first five are Python's
// http.server arguments, in Python's order and with Python's help texts;
// the rest are httpserve's own.
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

	// FollowSymlinks serves symbolic links that lead outside Directory;
	// by default they answer 404.
	FollowSymlinks bool `help:"serve symlinks that lead outside the directory"`

	// Version prints "httpserve VERSION" and exits.
	Version kong.VersionFlag `help:"print the version and exit"`

	// Man prints the man page, httpserve(1), and exits.
	Man manFlag `hidden:"" help:"print the man page and exit"`
}

// Validate checks what kong's tags cannot; kong calls it after parsing.
// Each error names the flag or argument at fault.
func (c *CLI) Validate() error {
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
	return checkDirectory(c.Directory)
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
