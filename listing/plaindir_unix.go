//go:build unix

package listing

import (
	"os"
	"syscall"
)

// plainDir opens a duplicate of dir's descriptor as a plain *os.File,
// whose ReadDir takes entry types from the directory and stats nothing.
// name is the directory's path, which ReadDir uses only on a file system
// that reports no entry types.
func plainDir(dir *os.File, name string) (*os.File, error) {
	fd, err := syscall.Dup(int(dir.Fd()))
	if err != nil {
		return nil, err
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), name), nil
}
