//go:build !linux

package cgihandler

// waitExited returns at once where waitid(2) with WNOWAIT is not used: the
// script is reaped by exec.Cmd.Wait, and a group signal racing with that
// could, in theory, reach a process that has taken the freed pid.
func waitExited(pid int) {}
