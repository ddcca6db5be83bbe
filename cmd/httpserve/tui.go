package main

// This file holds the rules for what httpserve prints, as age's tui.go does.
//
// Standard output carries only what Python's http.server prints there: the
// startup banner and "Keyboard interrupt received, exiting.", plus the
// output of --help, --version and --man, so that scripts reading it keep
// working. The one addition belongs to the banner: with --tls-self-signed,
// the line after it gives the certificate's fingerprint,
// "Certificate SHA-256 fingerprint: AB:CD:…", which the user needs to
// check what the browser shows, and which a script reading only the first
// line never sees. Everything else goes to standard error: the request log, and
// messages prefixed "httpserve: error:", "httpserve: warning:" or
// "httpserve: hint:". Messages have no capitalized initials and no period
// at the end; an error says what failed first, and a hint says what to do.

import (
	"errors"
	"fmt"
	"io"
)

// Exit statuses, as listed in the man page's EXIT STATUS section.
const (
	exitOK      = 0 // served until interrupted, or printed help/version/man
	exitFailure = 1 // the server failed after it had started
	exitUsage   = 2 // a bad flag or argument, or the server could not start
)

// ui writes the program's messages; stdout and stderr are run's.
type ui struct {
	stdout, stderr io.Writer
}

// errorf prints an error line, followed by the hint of any hintError in
// the chain.
func (u *ui) errorf(format string, args ...any) {
	err := fmt.Errorf(format, args...)
	fmt.Fprintf(u.stderr, "httpserve: error: %v\n", err)
	var h *hintError
	if errors.As(err, &h) && h.hint != "" {
		fmt.Fprintf(u.stderr, "httpserve: hint: %s\n", h.hint)
	}
}

func (u *ui) warningf(format string, args ...any) {
	fmt.Fprintf(u.stderr, "httpserve: warning: "+format+"\n", args...)
}

// hintError is an error with advice for the user, printed on its own
// "httpserve: hint:" line (litestream's usageError, age's errorWithHint).
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// withHint attaches hint to err.
func withHint(err error, hint string) error {
	return &hintError{err: err, hint: hint}
}
