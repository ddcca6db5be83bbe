package main

import (
	"errors"
	"fmt"
	"os/user"
	"strings"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/cgihandler"
	"github.com/httpserve/httpserve/listing"
	"github.com/httpserve/httpserve/simplehandler"
)

// newHandler builds the handler that answers every request: Python's
// choice between SimpleHTTPRequestHandler and, with --cgi,
// CGIHTTPRequestHandler. It is the one place that makes that choice, and
// that turns the file, listing and CGI flags into handler fields.
// serverVersion is the Server header's value, which scripts get as
// SERVER_SOFTWARE, as in Python.
func newHandler(cli *CLI, serverVersion string) (basehandler.Handler, error) {
	files, err := simplehandler.New(cli.Directory, cli.FollowSymlinks)
	if err != nil {
		return nil, err
	}
	files.Listing = listing.Options{
		Sort:         cli.Sort,
		Desc:         cli.Order == "desc",
		DirsFirst:    cli.DirsFirst,
		HideDotfiles: cli.HideDotfiles,
	}
	files.NoListing = cli.NoListing
	files.HideDotfiles = cli.HideDotfiles
	files.CORS = cli.CORS
	files.Compress = cli.Compress
	if !cli.CGI {
		return files, nil
	}

	h := &cgihandler.Handler{
		Files:          files,
		Dirs:           cli.CGIDir, // nil: Python's /cgi-bin and /htbin
		User:           cli.CGIUser,
		CleanEnv:       cli.CGICleanEnv,
		Env:            cli.CGIEnv,
		ServerSoftware: serverVersion,
		Timeout:        noneIfZero(cli.CGITimeout),
		MaxScripts:     noneIfZero(cli.CGIMax),
	}
	// Init now, so that a user who does not exist stops the server
	// before it serves anything.
	if err := h.Init(); err != nil {
		return nil, cgiError(err, cli.CGIUser)
	}
	return h, nil
}

// noneIfZero maps the command line's "0 means no limit" to cgihandler's
// negative value; there, 0 means the default.
func noneIfZero[T ~int | ~int64](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

// cgiError explains why cgihandler refused its configuration. Validate has
// checked --cgi-dir and --cgi-env, so what is left is mostly the user
// scripts run as.
func cgiError(err error, name string) error {
	var (
		unknownName user.UnknownUserError
		unknownID   user.UnknownUserIdError
	)
	if errors.As(err, &unknownName) || errors.As(err, &unknownID) {
		if name == "" {
			return withHint(errors.New("--cgi-user: there is no user \"nobody\" to run scripts as"),
				"when started as root, httpserve runs scripts as nobody; name another user with --cgi-user")
		}
		return withHint(fmt.Errorf("--cgi-user %q: no such user", name),
			"--cgi-user takes the name or uid of a user of this machine")
	}
	msg := strings.TrimPrefix(err.Error(), "cgihandler: ")
	if name != "" {
		return fmt.Errorf("--cgi-user %q: %s", name, msg)
	}
	return fmt.Errorf("--cgi: %s", msg)
}
