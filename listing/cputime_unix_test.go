//go:build unix

package listing

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system, in all
// its threads (the garbage collector's included). On a shared, loaded
// machine it moves far less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
