//go:build linux

package cgihandler

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hangTarget is the self script waiting for gate (or forever), writing
// its pids to pidfile; extra adds parameters.
func hangTarget(pidfile, gate string, extra ...string) string {
	v := url.Values{"do": {"hang"}, "pidfile": {pidfile}}
	if gate != "" {
		v.Set("gate", gate)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/cgi-bin/self.cgi?" + v.Encode()
}

// waitGone waits for every pid to be gone (or a zombie someone else
// reaps: here, a grandchild re-parented to init).
func waitGone(t *testing.T, pids []int) {
	t.Helper()
	for _, pid := range pids {
		if !eventually(func() bool { return !procAlive(pid) }) {
			t.Errorf("process %d still runs", pid)
		}
	}
}

// TestTimeout: a script that runs longer than Timeout is killed with its
// process group; one that had not answered yet gets 504.
func TestTimeout(t *testing.T) {
	dir := scratch(t)
	h := newHandler(t, fixture(t), func(h *Handler) { h.Timeout = 300 * time.Millisecond })
	ts := startServer(t, h, "HTTP/1.1")

	pidfile := filepath.Join(dir, "quiet")
	resp := ts.get(t, hangTarget(pidfile, "", "quiet", "1", "child", "1"))
	if resp.StatusCode != 504 {
		t.Errorf("before the header: %s, want 504", resp.Status)
	}
	waitGone(t, readPids(t, pidfile))
	ts.log.waitFor(t, "cgi: /cgi-bin/self.cgi: timed out after 300ms; killed")

	// After the header, and deaf to SIGTERM: SIGKILL follows.
	pidfile = filepath.Join(dir, "deaf")
	resp = ts.get(t, hangTarget(pidfile, "", "ignoreterm", "1", "child", "1"))
	if resp.StatusCode != 200 || string(resp.body) != "first\n" {
		t.Errorf("after the header: %s %q", resp.Status, resp.body)
	}
	waitGone(t, readPids(t, pidfile))
	ts.log.waitFor(t, "/cgi-bin/self.cgi: CGI script exit code -9")

	// A negative Timeout means none: the script runs until it is done.
	h = newHandler(t, fixture(t), func(h *Handler) { h.Timeout = -1 })
	if resp := startServer(t, h, "HTTP/1.0").get(t, "/cgi-bin/hello.sh"); resp.StatusCode != 200 {
		t.Errorf("no timeout: %s", resp.Status)
	}
}

// TestDisconnect: a client that goes away gets its script killed, with
// every process the script started.
func TestDisconnect(t *testing.T) {
	dir := scratch(t)
	ts := startServer(t, newHandler(t, fixture(t)), "HTTP/1.1")

	for _, proto := range []string{"HTTP/1.0", "HTTP/1.1"} {
		pidfile := filepath.Join(dir, strings.ReplaceAll(proto, "/", "-"))
		c := dial(t, ts)
		io.WriteString(c, "GET "+hangTarget(pidfile, "", "child", "1")+" "+proto+"\r\nHost: x\r\n\r\n")
		resp, err := httpReadResponse(bufio.NewReader(c), "GET")
		if err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(resp.Body).ReadString('\n'); line != "first\n" {
			t.Fatalf("%s: %q, %v", proto, line, err)
		}
		pids := readPids(t, pidfile)
		c.Close()
		waitGone(t, pids)
	}
	ts.log.waitFor(t, "cgi: /cgi-bin/self.cgi: the client went away; killed")

	// Mid-upload: the body cannot be read, so the script is stopped.
	pidfile := filepath.Join(dir, "upload")
	c := dial(t, ts)
	io.WriteString(c, "POST /cgi-bin/self.cgi?"+url.Values{"do": {"echo"}, "pidfile": {pidfile}, "child": {"1"}}.Encode()+
		" HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"+strings.Repeat("x", 1000))
	pids := readPids(t, pidfile)
	c.Close()
	waitGone(t, pids)
	ts.log.waitFor(t, "reading the request body")
}

// TestLeftBehind: a process a script leaves running, holding its stderr,
// neither holds up the response nor is killed (as in Python).
func TestLeftBehind(t *testing.T) {
	root := fixture(t)
	ts := startServer(t, newHandler(t, root), "HTTP/1.1")
	c := dial(t, ts)
	c.SetDeadline(time.Now().Add(15 * time.Second)) // well below the 5-minute Timeout
	io.WriteString(c, "GET /cgi-bin/daemon.sh HTTP/1.1\r\nHost: x\r\n\r\n")
	resp := readResponse(t, bufio.NewReader(c), "GET")
	if resp.StatusCode != 200 || string(resp.body) != "ok\n" || resp.err != nil {
		t.Errorf("%s %q %v", resp.Status, resp.body, resp.err)
	}
	pids := readPids(t, filepath.Join(root, "tmp", "daemon.pid"))
	os.Remove(filepath.Join(root, "tmp", "daemon.pid"))
	if !procAlive(pids[0]) {
		t.Error("the process left behind was killed")
	}
	syscall.Kill(pids[0], syscall.SIGKILL)
}

// TestConcurrencyLimit: at most MaxScripts run at once; a request that
// cannot get a slot within QueueTimeout gets 503, and one that can waits
// for it.
func TestConcurrencyLimit(t *testing.T) {
	dir := scratch(t)
	gate := filepath.Join(dir, "gate")
	h := newHandler(t, fixture(t), func(h *Handler) { h.MaxScripts = 2; h.QueueTimeout = 200 * time.Millisecond })
	ts := startServer(t, h, "HTTP/1.0")

	var wg sync.WaitGroup
	results := make(chan *response, 3)
	for i := range 2 {
		wg.Go(func() { results <- ts.get(t, hangTarget(filepath.Join(dir, strconv.Itoa(i)), gate)) })
		readPids(t, filepath.Join(dir, strconv.Itoa(i)))
	}
	resp := ts.get(t, "/cgi-bin/hello.sh")
	if resp.StatusCode != 503 {
		t.Errorf("a third script: %s, want 503", resp.Status)
	}
	ts.log.waitFor(t, "2 scripts already running")

	// A patient request gets the slot the first two free. It shares their
	// slots through a second handler with the same limit: its own.
	h2 := newHandler(t, fixture(t), func(h *Handler) { h.MaxScripts = 1 })
	ts2 := startServer(t, h2, "HTTP/1.0")
	wg.Go(func() { results <- ts2.get(t, hangTarget(filepath.Join(dir, "a"), gate)) })
	readPids(t, filepath.Join(dir, "a"))
	waited := make(chan *response, 1)
	go func() { waited <- ts2.get(t, "/cgi-bin/hello.sh") }()
	select {
	case r := <-waited:
		t.Fatalf("the queued request did not wait: %s", r.Status)
	case <-time.After(100 * time.Millisecond):
	}
	os.WriteFile(gate, nil, 0o644)
	wg.Wait()
	close(results)
	for r := range results {
		if r.StatusCode != 200 || string(r.body) != "first\nsecond\n" {
			t.Errorf("a gated script: %s %q", r.Status, r.body)
		}
	}
	select {
	case r := <-waited:
		if r.StatusCode != 200 {
			t.Errorf("the queued request: %s", r.Status)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the queued request never ran")
	}
}

// TestLeaks runs 2,000 scripts, some killed on the way (a client that
// hangs up, a timeout), and then finds no child process, no zombie and
// no descriptor more than before.
func TestLeaks(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	root := fixture(t)
	// Two servers: one with the default Timeout, one whose scripts time
	// out at once. Both are stopped before counting, so that their sockets
	// are gone.
	ts := startServer(t, newHandler(t, root), "HTTP/1.1")
	quick := startServer(t, newHandler(t, root, func(h *Handler) { h.Timeout = 300 * time.Millisecond }), "HTTP/1.1")
	ts.get(t, "/cgi-bin/hello.sh") // warm up: the runtime's poller, the user lookup
	quick.get(t, "/cgi-bin/hello.sh")
	fdsBefore := countFDs(t)
	// No garbage collection until the count: an *os.File left open would
	// otherwise be closed by its finalizer and hide the leak.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	heapBefore := mem.HeapAlloc

	const total, workers = 2000, 6
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		counts  = map[string]int{}
		failure string
	)
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			var c net.Conn
			var br *bufio.Reader
			defer func() {
				if c != nil {
					c.Close()
				}
			}()
			for i := range next {
				kind, err := leakRequest(ts, quick, i, &c, &br)
				mu.Lock()
				counts[kind]++
				if err != nil && failure == "" {
					failure = fmt.Sprintf("request %d (%s): %v", i, kind, err)
				}
				mu.Unlock()
			}
		})
	}
	for i := range total {
		next <- i
	}
	close(next)
	wg.Wait()
	if failure != "" {
		t.Error(failure)
	}
	runtime.ReadMemStats(&mem)
	t.Logf("requests: %v; %d MiB allocated", counts, (mem.HeapAlloc-heapBefore)>>20)
	ts.stop()
	quick.stop()

	if !eventually(func() bool { return len(children(t)) == 0 }) {
		t.Errorf("child processes remain: %v", children(t))
	}
	if !eventually(func() bool { return countFDs(t) <= fdsBefore }) {
		t.Errorf("%d descriptors open, %d before", countFDs(t), fdsBefore)
	}
}

// leakRequest sends request i of the leak test's mix, on the worker's
// kept-alive connection or a new one, and checks its answer.
func leakRequest(ts, quick *testServer, i int, c *net.Conn, br **bufio.Reader) (kind string, err error) {
	conn := func() error {
		if *c != nil {
			return nil
		}
		nc, err := net.DialTimeout("tcp", ts.addr, 10*time.Second)
		if err != nil {
			return err
		}
		nc.SetDeadline(time.Now().Add(60 * time.Second))
		*c, *br = nc, bufio.NewReader(nc)
		return nil
	}
	drop := func() {
		if *c != nil {
			(*c).Close()
			*c = nil
		}
	}
	if err := conn(); err != nil {
		return "dial", err
	}
	switch {
	case i%10 == 3:
		// Hang up after the first line: the script must be killed.
		kind = "hang-up"
		io.WriteString(*c, "GET /cgi-bin/slow.sh HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := httpReadResponse(*br, "GET")
		if err == nil {
			_, err = bufio.NewReader(resp.Body).ReadString('\n')
		}
		drop()
		return kind, err
	case i%100 == 7:
		kind = "timeout"
		qc, err := net.DialTimeout("tcp", quick.addr, 10*time.Second)
		if err != nil {
			return kind, err
		}
		defer qc.Close()
		qc.SetDeadline(time.Now().Add(60 * time.Second))
		io.WriteString(qc, "GET /cgi-bin/sleep.sh HTTP/1.1\r\nHost: x\r\n\r\n")
		return kind, expect(bufio.NewReader(qc), "GET", 504, "")
	case i%10 == 5:
		kind = "post"
		body := strings.Repeat("y", rand.IntN(20_000))
		io.WriteString(*c, "POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
		return kind, expect(*br, "POST", 200, body)
	case i%10 == 7:
		kind = "unread-body"
		io.WriteString(*c, "POST /cgi-bin/noread.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"+strings.Repeat("z", 5000))
		return kind, expect(*br, "POST", 200, "ignored the body\n")
	case i%2 == 0:
		kind = "keep-alive"
		io.WriteString(*c, "GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n\r\n")
		return kind, expect(*br, "GET", 200, "hello from sh\n")
	default:
		kind = "close"
		io.WriteString(*c, "GET /cgi-bin/hello.sh HTTP/1.0\r\n\r\n")
		err := expect(*br, "GET", 200, "hello from sh\n")
		drop()
		return kind, err
	}
}

func expect(br *bufio.Reader, method string, status int, body string) error {
	resp, err := httpReadResponse(br, method)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != status || (body != "" && string(b) != body) {
		return fmt.Errorf("got %s with %d bytes, want %d with %d", resp.Status, len(b), status, len(body))
	}
	return nil
}

// countFDs counts the process's open descriptors.
func countFDs(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries) - 1 // the directory being read
}

// children lists the process's child processes, zombies included, as
// "pid state command".
func children(t *testing.T) []string {
	self := strconv.Itoa(os.Getpid())
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		comm := string(b[strings.IndexByte(string(b), '(')+1 : i])
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == self {
			list = append(list, e.Name()+" "+f[0]+" "+comm)
		}
	}
	return list
}
