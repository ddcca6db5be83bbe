//go:build unix

package cgihandler

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"slices"
	"strconv"
	"syscall"
)

// identity is whom scripts run as.
type identity struct {
	cred *syscall.Credential // nil: as the server itself
	uid  uint32
	gids []uint32 // the primary group first
}

// lookupIdentity resolves Handler.User. A server running as root runs
// scripts as name, "nobody" by default; Python does the same, but calls
// only setuid, so its scripts keep root's group: here the primary group
// and the supplementary groups are the user's own.
func lookupIdentity(name string) (identity, error) {
	self := identity{uid: uint32(os.Geteuid()), gids: []uint32{uint32(os.Getegid())}}
	if groups, err := os.Getgroups(); err == nil {
		for _, g := range groups {
			self.gids = append(self.gids, uint32(g))
		}
	}
	if self.uid != 0 {
		if name == "" {
			return self, nil
		}
		u, err := lookupUser(name)
		if err != nil {
			return identity{}, err
		}
		if u.Uid != strconv.Itoa(int(self.uid)) {
			return identity{}, fmt.Errorf("cgihandler: cannot run scripts as %q: only a server running as root can switch users", name)
		}
		return self, nil
	}
	if name == "" {
		name = "nobody"
	}
	u, err := lookupUser(name)
	if err != nil {
		return identity{}, err
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return identity{}, fmt.Errorf("cgihandler: user %q has a non-numeric uid or gid", name)
	}
	if uid == 0 {
		return self, nil // root, as configured: nothing to switch
	}
	id := identity{uid: uint32(uid), gids: []uint32{uint32(gid)}}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	if groups, err := u.GroupIds(); err == nil {
		for _, g := range groups {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil && !slices.Contains(id.gids, uint32(n)) {
				id.gids = append(id.gids, uint32(n))
				cred.Groups = append(cred.Groups, uint32(n))
			}
		}
	}
	id.cred = cred
	return id, nil
}

// lookupUser finds a user by name or, for a number, by uid.
func lookupUser(name string) (*user.User, error) {
	if _, err := strconv.ParseUint(name, 10, 32); err == nil {
		if u, err := user.LookupId(name); err == nil {
			return u, nil
		}
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("cgihandler: cannot run scripts as %q: %w", name, err)
	}
	return u, nil
}

// canExec reports whether id may execute the file fi describes, by its
// permission bits, as execve(2) will decide: root needs any execute bit;
// anyone else the owner's, the group's or the others' bit, whichever
// applies first. Python asks os.access for the server's own user, which
// passes a script that nobody then cannot run.
func (id identity) canExec(fi fs.FileInfo) bool {
	perm := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case id.uid == 0 || !ok:
		return perm&0o111 != 0
	case st.Uid == id.uid:
		return perm&0o100 != 0
	case slices.Contains(id.gids, st.Gid):
		return perm&0o010 != 0
	}
	return perm&0o001 != 0
}

// sysProcAttr puts the script in a process group of its own, so that it
// can be killed with every process it started, and switches its user.
func sysProcAttr(id identity) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Credential: id.cred}
}

// signalGroup sends sig to the script's process group: SIGTERM, or
// SIGKILL when kill is set.
func signalGroup(p *os.Process, kill bool) {
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	syscall.Kill(-p.Pid, sig)
}

// exitCode is Python's os.waitstatus_to_exitcode: the exit status, or
// minus the number of the signal that killed the process.
func exitCode(st *os.ProcessState) int {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal())
	}
	return st.ExitCode()
}

// closeOnExec marks every descriptor the process has, beyond stdin,
// stdout and stderr, close-on-exec. Go opens all of its own that way, but
// a server may inherit others from whatever started it (a shell, a
// supervisor), and without the flag every script would get them.
func closeOnExec() {
	entries, err := os.ReadDir("/dev/fd")
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			syscall.CloseOnExec(fd)
		}
	}
}
