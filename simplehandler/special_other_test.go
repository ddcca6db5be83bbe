//go:build !linux

package simplehandler

import "errors"

var errNoSpecialFiles = errors.New("the tests create special files on Linux only")

func makeFIFO(string) error   { return errNoSpecialFiles }
func makeSocket(string) error { return errNoSpecialFiles }
func makeDevice(string) error { return errNoSpecialFiles }

// privileged is true here: the tests that need chmod 000 to make a file
// unreadable, or special files, run on Linux only.
func privileged() bool { return true }
