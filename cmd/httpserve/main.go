// Command httpserve serves the files in a directory over HTTP. It is a
// drop-in replacement for "python3 -m http.server": the same arguments,
// the same startup banner, the same log lines and the same answers, in one
// static binary.
//
// Usage:
//
//	httpserve [<port>] [flags]
//
// Run "httpserve --help" for the flags, or "httpserve --man | man -l -" for
// the manual page.
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it parses args, serves until ctx ends or a
// signal arrives, and returns the exit status. It writes only to stdout
// and stderr, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	u := &ui{stdout: stdout, stderr: stderr}
	cli, code, ok := parseArgs(args, u)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, stop, cli, u)
}

// exitCode is what kong's Exit hook panics with, so that --help,
// --version and --man end parsing without ending the process.
type exitCode int

// parseArgs parses args. When ok is false the program is over: help or
// the version was printed (code 0), or an error was (code 2).
func parseArgs(args []string, u *ui) (cli *CLI, code int, ok bool) {
	cli = new(CLI)
	parser, err := newParser(cli, u.stdout, u.stderr, func(code int) { panic(exitCode(code)) })
	if err != nil {
		// A mistake in the CLI struct's tags: a bug, not bad usage.
		u.errorf("building the command line parser: %w", err)
		return nil, exitFailure, false
	}
	defer func() {
		if r := recover(); r != nil {
			c, isExit := r.(exitCode)
			if !isExit {
				panic(r)
			}
			cli, code, ok = nil, int(c), false
		}
	}()
	if _, err := parser.Parse(args); err != nil {
		var h *hintError
		if !errors.As(err, &h) {
			err = withHint(err, `run "httpserve --help" for usage`)
		}
		u.errorf("%w", err)
		return nil, exitUsage, false
	}
	return cli, exitOK, true
}
