//go:build unix

package simplehandler

import (
	"io/fs"
	"syscall"
)

// inode returns the inode number of the file info describes, for its
// ETag: a file replaced by another (an editor's save by rename) gets a new
// tag even if size and time match.
func inode(info fs.FileInfo) (uint64, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Ino), true
}
