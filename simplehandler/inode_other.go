//go:build !unix

package simplehandler

import "io/fs"

// inode reports no inode number: fs.FileInfo carries none outside Unix,
// and the ETag is made from time and size alone.
func inode(fs.FileInfo) (uint64, bool) { return 0, false }
