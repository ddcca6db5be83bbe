package cgihandler

import (
	"syscall"
	"unsafe"
)

// waitExited blocks until the process pid has exited, without reaping
// it: waitid(2) with WNOWAIT. While the exited process is not reaped its
// pid, which is also its process group's id, cannot be reused, so a
// signal sent to the group until then can only reach the script's own
// processes.
func waitExited(pid int) {
	const (
		pPID    = 1          // P_PID
		wNOWAIT = 0x01000000 // WNOWAIT
	)
	var info [128]byte // siginfo_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid),
			uintptr(unsafe.Pointer(&info)), syscall.WEXITED|wNOWAIT, 0, 0)
		if errno != syscall.EINTR {
			return
		}
	}
}
