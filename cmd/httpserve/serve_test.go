package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

func TestPrintBanner(t *testing.T) {
	tests := []struct {
		https bool
		host  string
		port  int
		want  string
	}{
		// The first two are what python3 -m http.server prints, the
		// HTTPS one what Python 3.14 prints with --tls-cert.
		{false, "0.0.0.0", 8000, "Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...\n"},
		{false, "::", 8000, "Serving HTTP on :: port 8000 (http://[::]:8000/) ...\n"},
		{true, "0.0.0.0", 8443, "Serving HTTPS on 0.0.0.0 port 8443 (https://0.0.0.0:8443/) ...\n"},
		{false, "127.0.0.1", 41234, "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ...\n"},
		{false, "::1", 80, "Serving HTTP on ::1 port 80 (http://[::1]:80/) ...\n"},
		{true, "::1", 443, "Serving HTTPS on ::1 port 443 (https://[::1]:443/) ...\n"},
		{false, "fe80::1%eth0", 8000, "Serving HTTP on fe80::1%eth0 port 8000 (http://[fe80::1%eth0]:8000/) ...\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		printBanner(&b, tt.https, tt.host, tt.port)
		if b.String() != tt.want {
			t.Errorf("printBanner(%v, %q, %d)\n got %q\nwant %q", tt.https, tt.host, tt.port, b.String(), tt.want)
		}
	}
}

func TestResolveBind(t *testing.T) {
	tests := []struct {
		bind    string
		want    []string // any of these
		wantErr string
	}{
		{"127.0.0.1", []string{"127.0.0.1"}, ""},
		{"0.0.0.0", []string{"0.0.0.0"}, ""},
		{"::", []string{"::"}, ""},
		{"::1", []string{"::1"}, ""},
		{"[::1]", []string{"::1"}, ""},
		{"fe80::1%eth0", []string{"fe80::1%eth0"}, ""},
		{"::ffff:127.0.0.1", []string{"::ffff:127.0.0.1"}, ""},
		{"localhost", []string{"127.0.0.1", "::1"}, ""},
		{"no-such-host.invalid", nil, `invalid bind address "no-such-host.invalid"`},
		{"1.2.3", nil, `invalid bind address "1.2.3"`},
	}
	for _, tt := range tests {
		ip, err := resolveBind(context.Background(), tt.bind)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("resolveBind(%q) = %v, %v; want error %q", tt.bind, ip, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("resolveBind(%q): %v", tt.bind, err)
		default:
			found := false
			for _, w := range tt.want {
				found = found || ip.String() == w
			}
			if !found {
				t.Errorf("resolveBind(%q) = %v, want one of %q", tt.bind, ip, tt.want)
			}
		}
	}
}

func TestListenError(t *testing.T) {
	sysErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "listen", Net: "tcp", Err: os.NewSyscallError("bind", errno)}
	}
	tests := []struct {
		err      error
		bind     string
		port     int
		want     string
		wantHint bool
	}{
		{sysErr(syscall.EADDRINUSE), "", 8000, "port 8000 is already in use", true},
		{sysErr(syscall.EADDRINUSE), "127.0.0.1", 8000, "port 8000 is already in use on 127.0.0.1", true},
		{sysErr(syscall.EACCES), "", 80, "permission denied to use port 80", true},
		{sysErr(syscall.EADDRNOTAVAIL), "192.0.2.1", 8000, `invalid bind address "192.0.2.1": not an address of this machine`, true},
		{sysErr(syscall.EACCES), "", 8000, "cannot listen on port 8000: listen tcp: bind: permission denied", false},
	}
	for _, tt := range tests {
		err := listenError(tt.err, tt.bind, tt.port)
		if err.Error() != tt.want {
			t.Errorf("listenError(%v, %q, %d) = %q, want %q", tt.err, tt.bind, tt.port, err, tt.want)
		}
		var h *hintError
		if got := errors.As(err, &h); got != tt.wantHint {
			t.Errorf("listenError(%v, %q, %d) has a hint: %v, want %v", tt.err, tt.bind, tt.port, got, tt.wantHint)
		}
	}
}

// syncBuffer is a log that goroutines write while the test reads it.
type syncBuffer = basehandlertest.SyncBuffer

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var bannerRE = regexp.MustCompile(`^Serving (HTTPS?) on (\S+) port (\d+) \((https?)://(\S+):(\d+)/\) \.\.\.\n`)

// parseBanner returns the host and port of a banner, HTTP or HTTPS, at
// the start of out; ok is false when no whole banner is there yet.
func parseBanner(out string) (host string, port int, ok bool) {
	m := bannerRE.FindStringSubmatch(out)
	if m == nil {
		return "", 0, false
	}
	port, _ = strconv.Atoi(m[3])
	return m[2], port, true
}

// TestRunServes runs the server in this process, as main would, and stops
// it by ending its context.
func TestRunServes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() { code <- run(ctx, []string{"-b", "127.0.0.1", "-d", dir, "0"}, &stdout, &stderr) }()

	var port int
	waitFor(t, 10*time.Second, "the banner", func() bool {
		var ok bool
		_, port, ok = parseBanner(stdout.String())
		return ok
	})
	banner := fmt.Sprintf("Serving HTTP on 127.0.0.1 port %d (http://127.0.0.1:%d/) ...\n", port, port)
	if stdout.String() != banner {
		t.Fatalf("stdout = %q, want %q", stdout.String(), banner)
	}

	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/hello.txt", port))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || string(body) != "hello\n" {
		t.Errorf("GET /hello.txt = %d %q, want 200 %q", resp.StatusCode, body, "hello\n")
	}
	if got, want := resp.Header.Get("Server"), "httpserve/"+getVersion(); got != want {
		t.Errorf("Server = %q, want %q", got, want)
	}

	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit status %d, want 0; stderr:\n%s", c, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	if want := banner + "\nKeyboard interrupt received, exiting.\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
	if !strings.Contains(stderr.String(), `"GET /hello.txt HTTP/1.1" 200 -`) {
		t.Errorf("stderr has no log line for the request:\n%s", stderr.String())
	}
}
