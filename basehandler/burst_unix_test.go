//go:build unix

package basehandler_test

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

// TestBurst dials 2,000 connections before sending a request on any, as a
// page of thumbnails or a load test does, and requires a 200 on every
// one: the accept backlog and the server hold them all.
func TestBurst(t *testing.T) {
	const n = 2000
	const needFiles = 2*n + 200 // both ends are in this process
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("cannot read the file descriptor limit: %v", err)
	}
	if lim.Cur < needFiles {
		old := lim
		lim.Cur = min(needFiles, lim.Max)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < needFiles {
			t.Skipf("need %d file descriptors; ulimit -n is %d (hard limit %d): %v", needFiles, old.Cur, old.Max, err)
		}
		t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
	}
	s := basehandlertest.NewServer(t, &basehandler.Server{
		Handler:  basehandler.HandlerFunc(testHandler),
		Protocol: "HTTP/1.1",
		Log:      io.Discard, // 2,000 log lines would only slow the test
	})
	deadline := time.Now().Add(60 * time.Second)
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := net.DialTimeout("tcp", s.Addr, time.Until(deadline))
		if err != nil {
			t.Fatalf("dialing connection %d: %v", len(conns)+1, err)
		}
		c.SetDeadline(deadline)
		conns = append(conns, c)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failures := 0
	var first string
	for _, c := range conns {
		wg.Go(func() {
			_, err := io.WriteString(c, "GET /burst HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
			var status string
			if err == nil {
				status, err = bufio.NewReader(c).ReadString('\n')
			}
			if err != nil || status != "HTTP/1.1 200 OK\r\n" {
				mu.Lock()
				defer mu.Unlock()
				if failures++; failures == 1 {
					first = strings.TrimSpace(status) + " " + errString(err)
				}
			}
		})
	}
	wg.Wait()
	if failures > 0 {
		t.Errorf("%d of %d connections did not get 200; the first: %s", failures, n, first)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
