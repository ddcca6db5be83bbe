//go:build linux

package simplehandler

import (
	"os"
	"syscall"
)

// makeFIFO, makeSocket and makeDevice create the special files the tests
// serve: a named pipe, a socket file and a character device (/dev/null's
// 1,3), which only a privileged user may create.

func makeFIFO(name string) error { return syscall.Mkfifo(name, 0o644) }

func makeSocket(name string) error { return syscall.Mknod(name, syscall.S_IFSOCK|0o644, 0) }

func makeDevice(name string) error {
	return syscall.Mknod(name, syscall.S_IFCHR|0o666, int(mkdev(1, 3)))
}

// mkdev is the Linux encoding of a device number (glibc's makedev).
func mkdev(major, minor uint64) uint64 {
	return major&0xfff<<8 | major&^0xfff<<32 | minor&0xff | minor&^0xff<<12
}

// privileged reports whether the tests run as root, who may read any file
// whatever its mode (CAP_DAC_OVERRIDE), so chmod 000 cannot make a file
// unreadable.
func privileged() bool { return os.Geteuid() == 0 }
