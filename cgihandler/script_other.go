//go:build !unix

package cgihandler

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// identity is whom scripts run as: here always the server itself.
type identity struct{}

func lookupIdentity(name string) (identity, error) {
	if name != "" {
		return identity{}, errors.New("cgihandler: switching users is not supported on this system")
	}
	return identity{}, nil
}

// canExec: there are no execute bits to check; Python's os.access
// passes every file here too.
func (identity) canExec(fs.FileInfo) bool { return true }

func sysProcAttr(identity) *syscall.SysProcAttr { return nil }

// signalGroup kills the script itself: there are no process groups.
func signalGroup(p *os.Process, kill bool) { p.Kill() }

func exitCode(st *os.ProcessState) int { return st.ExitCode() }

func closeOnExec() {}
