package main

// End-to-end tests: TestMain builds the real binary once, and each test
// runs it as a user would, checking its standard output, standard error
// and exit status. They are skipped under -short.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary is the httpserve that TestMain built, with version e2eVersion;
// it is empty under -short.
var binary string

const e2eVersion = "v0.0.0-e2e"

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	if !testing.Short() {
		dir, err := os.MkdirTemp("", "httpserve-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "httpserve")
		if runtime.GOOS == "windows" {
			binary += ".exe"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binary, "-ldflags", "-X main.version="+e2eVersion, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building httpserve: %v\n%s", err, out)
			return 1
		}
	}
	return m.Run()
}

func needBinary(t *testing.T) {
	t.Helper()
	if binary == "" {
		t.Skip("end-to-end test skipped under -short")
	}
}

func needSignals(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT or SIGTERM to send on Windows")
	}
}

// needIPv6 skips the test unless this machine can listen on ::1.
func needIPv6(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	ln.Close()
}

// process is one running httpserve started by a test.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
	exited         chan struct{} // closed when the process has exited
}

// start runs httpserve with args; the test's cleanup kills it if it is
// still running.
func start(t *testing.T, args ...string) *process {
	t.Helper()
	needBinary(t)
	p := &process{cmd: exec.Command(binary, args...), exited: make(chan struct{})}
	p.cmd.Stdout = &p.stdout
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// banner waits for the startup banner and returns its host and port.
func (p *process) banner(t *testing.T) (host string, port int) {
	t.Helper()
	waitFor(t, 10*time.Second, "the banner", func() bool {
		var ok bool
		host, port, ok = parseBanner(p.stdout.String())
		if !ok && p.hasExited() {
			t.Fatalf("httpserve exited before printing its banner: %v\nstdout:\n%s\nstderr:\n%s",
				p.cmd.ProcessState, p.stdout.String(), p.stderr.String())
		}
		return ok
	})
	return host, port
}

func (p *process) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

func (p *process) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// wait waits for the process to exit and returns how it did.
func (p *process) wait(t *testing.T, timeout time.Duration) *os.ProcessState {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState
	case <-time.After(timeout):
		t.Fatalf("httpserve still running after %v\nstdout:\n%s\nstderr:\n%s", timeout, p.stdout.String(), p.stderr.String())
		return nil
	}
}

// runBinary runs httpserve to completion and returns its exit status and
// output.
func runBinary(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	needBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("httpserve %q still running after 10s", args)
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// serveDir makes a directory holding hello.txt.
func serveDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestE2EServesFile(t *testing.T) {
	p := start(t, "-b", "127.0.0.1", "-d", serveDir(t), "0")
	_, port := p.banner(t)
	resp, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/hello.txt", port))
	if resp.StatusCode != 200 || body != "hello\n" {
		t.Errorf("GET /hello.txt = %d %q, want 200 %q", resp.StatusCode, body, "hello\n")
	}
	if got, want := resp.Header.Get("Server"), "httpserve/"+e2eVersion; got != want {
		t.Errorf("Server = %q, want %q", got, want)
	}
	waitFor(t, 10*time.Second, "the request's log line on stderr", func() bool {
		return strings.Contains(p.stderr.String(), `"GET /hello.txt HTTP/1.1" 200 -`+"\n")
	})
}

func TestE2EBanner(t *testing.T) {
	tests := []struct {
		name     string
		bind     []string
		wantHost []string // any of these
		dialHost string
		ipv6     bool
	}{
		{"all interfaces", nil, []string{"0.0.0.0"}, "127.0.0.1", false},
		{"IPv4 loopback", []string{"-b", "127.0.0.1"}, []string{"127.0.0.1"}, "127.0.0.1", false},
		{"IPv6 loopback", []string{"-b", "::1"}, []string{"::1"}, "::1", true},
		{"IPv6 any", []string{"-b", "::"}, []string{"::"}, "::1", true},
		{"host name", []string{"-b", "localhost"}, []string{"127.0.0.1", "::1"}, "localhost", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ipv6 {
				needIPv6(t)
			}
			p := start(t, append(tt.bind, "-d", serveDir(t), "0")...)
			host, port := p.banner(t)
			urlHost := host
			if strings.Contains(host, ":") {
				urlHost = "[" + host + "]"
			}
			want := fmt.Sprintf("Serving HTTP on %s port %d (http://%s:%d/) ...\n", host, port, urlHost, port)
			if got := p.stdout.String(); got != want {
				t.Errorf("stdout = %q, want %q", got, want)
			}
			if !contains(tt.wantHost, host) {
				t.Errorf("banner host %q, want one of %q", host, tt.wantHost)
			}
			if port == 0 {
				t.Errorf("banner shows port 0, want the port chosen")
			}
			resp, _ := get(t, "http://"+net.JoinHostPort(tt.dialHost, fmt.Sprint(port))+"/hello.txt")
			if resp.StatusCode != 200 {
				t.Errorf("GET /hello.txt: %s", resp.Status)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestE2EProtocol sends two requests on one connection: -p HTTP/1.1
// answers both, and the default HTTP/1.0 closes after the first.
func TestE2EProtocol(t *testing.T) {
	tests := []struct {
		args      []string
		wantProto string
		wantTwo   bool
	}{
		{[]string{"-p", "HTTP/1.1"}, "HTTP/1.1", true},
		{nil, "HTTP/1.0", false},
	}
	for _, tt := range tests {
		t.Run(tt.wantProto, func(t *testing.T) {
			p := start(t, append(tt.args, "-b", "127.0.0.1", "-d", serveDir(t), "0")...)
			_, port := p.banner(t)
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(c)
			for i := range 2 {
				if _, err := io.WriteString(c, "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
					if i == 1 && !tt.wantTwo {
						return // closed: as expected
					}
					t.Fatalf("request %d: %v", i+1, err)
				}
				resp, err := http.ReadResponse(br, nil)
				if i == 1 && !tt.wantTwo {
					if err == nil {
						t.Fatalf("request 2 answered on an %s connection: %s", tt.wantProto, resp.Status)
					}
					return
				}
				if err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
				if resp.Proto != tt.wantProto || resp.StatusCode != 200 || string(body) != "hello\n" {
					t.Errorf("request %d: %s %s %q, want %s 200 %q", i+1, resp.Proto, resp.Status, body, tt.wantProto, "hello\n")
				}
			}
		})
	}
}

func TestE2ESignals(t *testing.T) {
	needSignals(t)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			p := start(t, "-b", "127.0.0.1", "-d", serveDir(t), "0")
			_, port := p.banner(t)
			// A kept-alive idle connection must not hold up the exit.
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			banner := p.stdout.String()
			p.signal(t, sig)
			st := p.wait(t, 10*time.Second)
			if st.ExitCode() != 0 {
				t.Errorf("exit: %v, want status 0; stderr:\n%s", st, p.stderr.String())
			}
			if got, want := p.stdout.String(), banner+"\nKeyboard interrupt received, exiting.\n"; got != want {
				t.Errorf("stdout = %q, want %q", got, want)
			}
		})
	}
}

// TestE2ESecondSignal: while a request in flight holds up the graceful
// shutdown, a second Ctrl-C ends the process at once.
func TestE2ESecondSignal(t *testing.T) {
	needSignals(t)
	p := start(t, "-b", "127.0.0.1", "-d", serveDir(t), "0")
	_, port := p.banner(t)
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Half a request head: the connection is busy, not idle, so the
	// shutdown waits for it (for up to 5 seconds).
	if _, err := io.WriteString(c, "GET /hello.txt HTTP/1.1\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	p.signal(t, os.Interrupt)
	waitFor(t, 10*time.Second, "the interrupt line", func() bool {
		return strings.Contains(p.stdout.String(), "Keyboard interrupt received, exiting.")
	})
	time.Sleep(300 * time.Millisecond)
	if p.hasExited() {
		t.Fatalf("httpserve exited on the first signal despite a request in flight: %v", p.cmd.ProcessState)
	}
	start := time.Now()
	p.signal(t, os.Interrupt)
	st := p.wait(t, 3*time.Second)
	ws, ok := st.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("exit: %v, want killed by SIGINT", st)
	}
	t.Logf("exited %v after the second signal", time.Since(start))
}

func TestE2EErrors(t *testing.T) {
	dir := serveDir(t)
	missing := filepath.Join(dir, "missing")
	file := filepath.Join(dir, "hello.txt")
	tests := []struct {
		name       string
		args       []string
		wantStderr string // the error line
	}{
		{"unknown flag", []string{"--nope"}, "httpserve: error: unknown flag --nope\n"},
		{"bad protocol", []string{"-p", "HTTP/2"}, `httpserve: error: --protocol "HTTP/2" is not supported` + "\n"},
		{"port out of range", []string{"65536"}, "httpserve: error: port 65536 is out of range\n"},
		{"port not a number", []string{"eighty"}, `httpserve: error: [<port>]: expected a valid 64 bit int but got "eighty"` + "\n"},
		{"missing directory", []string{"-d", missing}, `httpserve: error: directory "` + missing + `" does not exist` + "\n"},
		{"directory is a file", []string{"--directory", file}, `httpserve: error: --directory "` + file + `" is not a directory` + "\n"},
		{"unresolvable bind", []string{"-b", "no-such-host.invalid", "0"}, `httpserve: error: invalid bind address "no-such-host.invalid": no such host` + "\n"},
		{"bad bind syntax", []string{"-b", "1.2.3.4.5", "0"}, `httpserve: error: invalid bind address "1.2.3.4.5": no such host` + "\n"},
		// 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine has it.
		{"bind address not here", []string{"-b", "192.0.2.1", "0"}, `httpserve: error: invalid bind address "192.0.2.1": not an address of this machine` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runBinary(t, tt.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.HasPrefix(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to start with %q", stderr, tt.wantStderr)
			}
			if !strings.Contains(stderr, "\nhttpserve: hint: ") {
				t.Errorf("stderr = %q, want a hint", stderr)
			}
		})
	}
}

func TestE2EBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	code, stdout, stderr := runBinary(t, "-b", "127.0.0.1", fmt.Sprint(port))
	if code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	want := fmt.Sprintf("httpserve: error: port %d is already in use on 127.0.0.1\n", port)
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr = %q, want it to start with %q", stderr, want)
	}
}

func TestE2EVersion(t *testing.T) {
	code, stdout, stderr := runBinary(t, "--version")
	if code != 0 || stdout != "httpserve "+e2eVersion+"\n" || stderr != "" {
		t.Errorf("--version: status %d, stdout %q, stderr %q; want 0, %q, nothing", code, stdout, stderr, "httpserve "+e2eVersion+"\n")
	}
}
