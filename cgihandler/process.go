package cgihandler

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// The script's process: started in its own process group, stopped with
// SIGTERM then SIGKILL, reaped before the request ends; and its stderr,
// which goes to the log.

// process is a running script and the means to stop it.
type process struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	reaped bool        // once set, no signal may be sent: the pid may be reused
	killed bool        // the script was told to stop
	timer  *time.Timer // the SIGKILL that follows SIGTERM
	stop   func() bool // unregisters the context watch
}

// start starts the script with stdin (nil: /dev/null) and returns the
// server's ends of its stdout and stderr.
func (x *exchange) start(stdin *os.File, contentLength string) (p *process, stdout, stderr *os.File, err error) {
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, nil, nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, nil, nil, err
	}
	cmd := &exec.Cmd{
		Path:        x.s.exe,
		Args:        commandLine(x.s),
		Env:         x.c.requestEnv(x.r, x.s, contentLength),
		Dir:         x.s.dir, // RFC 3875 section 7.2
		Stdout:      outW,
		Stderr:      errW,
		SysProcAttr: sysProcAttr(x.c.runAs),
	}
	if stdin != nil {
		cmd.Stdin = stdin
	}
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, nil, nil, err
	}
	p = &process{cmd: cmd}
	p.stop = context.AfterFunc(x.ctx, p.terminate)
	return p, outR, errR, nil
}

// terminate asks the script's process group to stop, then forces it.
func (p *process) terminate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reaped {
		return
	}
	p.killed = true
	signalGroup(p.cmd.Process, false)
	p.timer = time.AfterFunc(killGrace, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.reaped {
			signalGroup(p.cmd.Process, true)
		}
	})
}

// wait waits for the script to exit and reaps it. Until it has exited the
// context can still stop it; the signals stop before the reaping, which
// frees its pid.
func (p *process) wait() *os.ProcessState {
	waitExited(p.cmd.Process.Pid)
	p.stop()
	p.mu.Lock()
	p.reaped = true
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Unlock()
	p.cmd.Wait() // the state is all we need; an exit status is not an error here
	return p.cmd.ProcessState
}

// awaitStderr waits for the stderr goroutine to finish. Once the script
// has exited, a process it left behind may still hold its stderr (a
// daemon started with "&"): the response must not wait for that, and
// nothing may be logged once the handler has returned. So after
// stderrGrace without a line (or at the timeout), stderr is closed.
func (x *exchange) awaitStderr(stderr *os.File, done <-chan struct{}) {
	t := time.NewTimer(stderrGrace)
	defer t.Stop()
	for {
		lines := x.stderrLines.Load()
		select {
		case <-done:
			return
		case <-t.C:
			if x.stderrLines.Load() != lines {
				t.Reset(stderrGrace)
				continue
			}
		case <-x.ctx.Done():
		}
		stderr.Close()
		<-done
		return
	}
}

// logStderr logs the script's stderr, a line at a time, each prefixed
// with the script's name (Python logs it whole, unprefixed).
func (x *exchange) logStderr(stderr io.Reader) {
	br := bufio.NewReaderSize(stderr, 4096)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			x.logf("%s: %s", x.s.name, trimEOL(line))
			x.stderrLines.Add(1)
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// logExit logs why a script was stopped, if it was, and a failing exit
// status in Python's words: "CGI script exit code N", N negative for a
// signal.
func (x *exchange) logExit(p *process, state *os.ProcessState) {
	p.mu.Lock()
	killed := p.killed
	p.mu.Unlock()
	if killed {
		switch cause := context.Cause(x.ctx); {
		case errors.Is(cause, errTimeout):
			x.logf("cgi: %s: timed out after %v; killed", x.s.name, x.c.timeout)
		case x.reqCtx.Err() != nil:
			x.logf("cgi: %s: the client went away; killed", x.s.name)
		default:
			x.logf("cgi: %s: %v; killed", x.s.name, cause)
		}
	}
	if state == nil {
		return
	}
	if code := exitCode(state); code != 0 {
		x.logf("%s: CGI script exit code %d", x.s.name, code)
	}
}
