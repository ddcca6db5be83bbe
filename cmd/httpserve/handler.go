package main

import (
	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/simplehandler"
)

// newHandler builds the handler that answers every request: Python's
// choice between SimpleHTTPRequestHandler and, with --cgi,
// CGIHTTPRequestHandler. It is the one place that makes that choice.
func newHandler(cli *CLI, u *ui) (basehandler.Handler, error) {
	files, err := simplehandler.New(cli.Directory, cli.FollowSymlinks)
	if err != nil {
		return nil, err
	}
	if cli.CGI {
		// CGI: wire cgihandler in here, once it exists, and drop the
		// warning:
		//
		//	return &cgihandler.Handler{Files: files, Dirs: []string{"/cgi-bin", "/htbin"}}, nil
		u.warningf("--cgi is not supported yet; serving files only")
	}
	return files, nil
}
