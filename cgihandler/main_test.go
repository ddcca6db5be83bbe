//go:build linux

package cgihandler

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/simplehandler"
)

// TestMain runs the test binary itself as a CGI script when it is started
// as one (GATEWAY_INTERFACE is set), as net/http/cgi's tests do, so that
// most tests need no interpreter; otherwise it runs the tests.
func TestMain(m *testing.M) {
	if os.Getenv("GATEWAY_INTERFACE") == "CGI/1.1" {
		os.Exit(selfScript())
	}
	// A race-enabled binary sleeps a second before exiting, to let other
	// threads report; as a script, it need not.
	os.Setenv("GORACE", strings.TrimPrefix(os.Getenv("GORACE")+" atexit_sleep_ms=0", " "))
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// selfScript is the CGI script the test binary plays. What it does is
// chosen by the query parameter "do" (a query without "=" means "dump"):
//
//	dump      print the command line, environment, working directory,
//	          user, open descriptors and a digest of stdin, as JSON
//	print     write the parameter "out" verbatim to stdout, "err" to
//	          stderr, then exit with status "exit"
//	hang      write the header block and "first\n" (unless "quiet=1"),
//	          then wait until the file "gate" exists (or forever), then
//	          write "second\n"; "ignoreterm=1" ignores SIGTERM
//	echo      copy stdin to stdout after a header block
//
// hang and echo write their pid (and with "child=1" a grandchild's) to
// the file "pidfile".
func selfScript() int {
	q, _ := url.ParseQuery(os.Getenv("QUERY_STRING"))
	switch q.Get("do") {
	case "print":
		os.Stdout.WriteString(q.Get("out"))
		os.Stderr.WriteString(q.Get("err"))
		code, _ := strconv.Atoi(q.Get("exit"))
		return code
	case "hang":
		if q.Get("ignoreterm") == "1" {
			signal.Ignore(syscall.SIGTERM)
		}
		writePids(q)
		if q.Get("quiet") != "1" {
			os.Stdout.WriteString("Content-Type: text/plain\r\n\r\nfirst\n")
		}
		for gate := q.Get("gate"); ; time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(gate); gate != "" && err == nil {
				break
			}
		}
		os.Stdout.WriteString("second\n")
		return 0
	case "echo":
		writePids(q)
		os.Stdout.WriteString("Content-Type: application/octet-stream\n\n")
		io.Copy(os.Stdout, os.Stdin)
		return 0
	}
	d := dump{Args: os.Args, Env: map[string]string{}, UID: os.Getuid(), GID: os.Getgid()}
	d.Groups, _ = os.Getgroups()
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		d.Env[k] = v
	}
	d.Cwd, _ = os.Getwd()
	if dir, err := os.Open("/proc/self/fd"); err == nil {
		names, _ := dir.Readdirnames(-1)
		for _, n := range names {
			// Descriptors inherited through exec are the ones without
			// close-on-exec; the Go runtime's own have it.
			info, _ := os.ReadFile("/proc/self/fdinfo/" + n)
			_, flags, _ := strings.Cut(string(info), "flags:")
			flag, _ := strconv.ParseUint(strings.Fields(flags + " 0")[0], 8, 64)
			if fd, _ := strconv.Atoi(n); flag&syscall.O_CLOEXEC == 0 {
				d.FDs = append(d.FDs, fd)
				target, _ := os.Readlink("/proc/self/fd/" + n)
				d.FDTargets = append(d.FDTargets, n+" -> "+target)
			}
		}
		dir.Close()
	}
	h := sha256.New()
	n, _ := io.Copy(h, os.Stdin)
	d.StdinLen, d.StdinSHA = n, hex.EncodeToString(h.Sum(nil))
	os.Stdout.WriteString("Content-Type: application/json\n\n")
	json.NewEncoder(os.Stdout).Encode(d)
	return 0
}

// writePids writes the script's pid, and with "child=1" the pid of a
// grandchild it starts, to the file named by "pidfile".
func writePids(q url.Values) {
	pids := strconv.Itoa(os.Getpid())
	if q.Get("child") == "1" {
		child := exec.Command("sleep", "300")
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pids += " " + strconv.Itoa(child.Process.Pid)
	}
	if f := q.Get("pidfile"); f != "" {
		os.WriteFile(f+".tmp", []byte(pids), 0o644)
		os.Rename(f+".tmp", f)
	}
}

// dump is what selfScript's "dump" reports.
type dump struct {
	Args      []string
	Env       map[string]string
	Cwd       string
	UID, GID  int
	Groups    []int
	FDs       []int
	FDTargets []string
	StdinLen  int64
	StdinSHA  string
}

// The fixture: a document root that every test shares, built once. It and
// everything in it can be read and traversed by anyone, because scripts
// run as "nobody" when the tests run as root.
var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// Interpreters the real-script tests use; CI must have them.
var (
	pythonExe string
	perlExe   string
)

// fixture returns the shared document root.
func fixture(t testing.TB) string {
	t.Helper()
	fixtureOnce.Do(func() { fixtureDir, fixtureErr = buildFixture() })
	if fixtureErr != nil {
		t.Fatalf("building the fixture: %v", fixtureErr)
	}
	return fixtureDir
}

// Real scripts, in the interpreters people use. The Python ones are
// CPython's own test scripts (Lib/test/test_httpservers.py).
const (
	helloSh = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhello from sh\\n'\n"
	catSh   = "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\nexec cat\n"
	idSh    = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nid -u; id -g; id -G; pwd\n"
	// slowSh answers, then waits for the client to hang up.
	slowSh = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nfirst\\n'\nexec sleep 60\n"
	// noReadSh never reads its stdin.
	noReadSh = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nignored the body\\n'\n"
	methodSh = "#!/bin/sh\nprintf 'Content-Type: text/plain\\nX-Method: %s\\n\\nbody\\n' \"$REQUEST_METHOD\"\n"
	// daemonSh leaves a process behind that holds its stderr.
	daemonSh = "#!/bin/sh\nsleep 30 >/dev/null &\necho $! > \"$DOCUMENT_ROOT/tmp/daemon.pid\"\nprintf 'Content-Type: text/plain\\n\\nok\\n'\n"
	sleepSh  = "#!/bin/sh\nexec sleep 60\n"
	loopSh   = "#!/bin/sh\nprintf 'Location: /cgi-bin/redirect-loop.sh\\n\\n'\n"
	argvSh   = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nprintf '%s\\n' \"$#\" \"$@\"\n"
	helloPl  = "#!%s\nprint \"Content-Type: text/plain\\n\\n\";\nprint \"hello from perl $ENV{REQUEST_METHOD} $ENV{QUERY_STRING}\\n\";\n"
	envPl    = "#!%s\nprint \"Content-Type: text/plain\\n\\n\";\nprint \"$_=$ENV{$_}\\n\" for sort keys %%ENV;\n"

	pyFile1 = "#!%s\n\nprint(\"Content-type: text/html\")\nprint()\nprint(\"Hello World\")\n"
	pyFile2 = `#!%s
import os
import sys
import urllib.parse

print("Content-type: text/html")
print()

content_length = int(os.environ["CONTENT_LENGTH"])
query_string = sys.stdin.buffer.read(content_length)
params = {key.decode("utf-8"): val.decode("utf-8")
            for key, val in urllib.parse.parse_qsl(query_string)}

print("%%s, %%s, %%s" %% (params["spam"], params["eggs"], params["bacon"]))
`
	pyFile4 = "#!%s\nimport os\n\nprint(\"Content-type: text/html\")\nprint()\n\nprint(os.environ[\"QUERY_STRING\"])\n"
	pyFile6 = `#!%s
import os

print("X-ambv: was here")
print("Content-type: text/html")
print()
print("<pre>")
for k, v in os.environ.items():
    try:
        k.encode('ascii')
        v.encode('ascii')
    except UnicodeEncodeError:
        continue  # see: BPO-44647
    print(f"{k}={v}")
print("</pre>")
`
)

func buildFixture() (string, error) {
	var err error
	if pythonExe, err = exec.LookPath("python3"); err != nil {
		return "", fmt.Errorf("python3 is required: %v", err)
	}
	// The shebang wants the interpreter itself, not a pyenv shim script.
	out, err := exec.Command(pythonExe, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		return "", fmt.Errorf("python3: %v", err)
	}
	pythonExe = strings.TrimSpace(string(out))
	if perlExe, err = exec.LookPath("perl"); err != nil {
		return "", fmt.Errorf("perl is required: %v", err)
	}
	dir, err := os.MkdirTemp("", "cgihandler-test-")
	if err != nil {
		return "", err
	}
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	exe, err := os.ReadFile(self)
	if err != nil {
		return "", err
	}
	files := []struct {
		name string
		mode os.FileMode
		data string
	}{
		{"index.html", 0o644, "<p>index</p>\n"},
		{"nocgi.py", 0o755, fmt.Sprintf(pyFile1, pythonExe)},
		{"outside.sh", 0o755, helloSh},
		{"cgi-bin/self.cgi", 0o755, string(exe)},
		{"cgi-bin/hello.sh", 0o755, helloSh},
		{"cgi-bin/cat.sh", 0o755, catSh},
		{"cgi-bin/id.sh", 0o755, idSh},
		{"cgi-bin/slow.sh", 0o755, slowSh},
		{"cgi-bin/noread.sh", 0o755, noReadSh},
		{"cgi-bin/argv.sh", 0o755, argvSh},
		{"cgi-bin/method.sh", 0o755, methodSh},
		{"cgi-bin/redirect-loop.sh", 0o755, loopSh},
		{"cgi-bin/sleep.sh", 0o755, sleepSh},
		{"cgi-bin/daemon.sh", 0o755, daemonSh},
		{"cgi-bin/notexec.sh", 0o644, helloSh},
		{"cgi-bin/owneronly.sh", 0o700, helloSh},
		{"cgi-bin/hello.pl", 0o755, fmt.Sprintf(helloPl, perlExe)},
		{"cgi-bin/env.pl", 0o755, fmt.Sprintf(envPl, perlExe)},
		{"cgi-bin/it's.sh", 0o755, helloSh},
		{"cgi-bin/file1.py", 0o755, fmt.Sprintf(pyFile1, pythonExe)},
		{"cgi-bin/file2.py", 0o755, fmt.Sprintf(pyFile2, pythonExe)},
		{"cgi-bin/file4.py", 0o755, fmt.Sprintf(pyFile4, pythonExe)},
		{"cgi-bin/file6.py", 0o755, fmt.Sprintf(pyFile6, pythonExe)},
		{"cgi-bin/child-dir/file3.py", 0o755, fmt.Sprintf(pyFile1, pythonExe)},
		{"cgi-bin/subdir/.keep", 0o644, ""},
		{"htbin/hello.sh", 0o755, helloSh},
		{"sub/dir/cgi-bin/file5.py", 0o755, fmt.Sprintf(pyFile1, pythonExe)},
	}
	for _, f := range files {
		name := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(name, []byte(f.data), f.mode); err != nil {
			return "", err
		}
		if err := os.Chmod(name, f.mode); err != nil { // despite the umask
			return "", err
		}
	}
	links := [][2]string{
		{"self.cgi", "cgi-bin/nph-self.cgi"},
		{"../outside.sh", "cgi-bin/inside-link.sh"}, // outside cgi-bin, inside the root
		{"/bin/true", "cgi-bin/escape.sh"},          // outside the root
		{"/bin", "cgi-bin/outdir"},                  // a directory outside the root
		{"child-dir", "cgi-bin/linkdir"},            // a directory inside it
	}
	for _, l := range links {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			return "", err
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o777); err != nil {
		return "", err
	}
	// Every directory, the root included, must be traversable by anyone.
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() != "tmp" {
			err = os.Chmod(p, 0o755)
		}
		return err
	})
	if err == nil {
		err = os.Chmod(filepath.Join(dir, "tmp"), 0o777)
	}
	return dir, err
}

// scratch returns a new directory, writable by anyone, for pid files and
// gates.
func scratch(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp(filepath.Join(fixture(t), "tmp"), "t-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// currentUser is the user the tests run as: the User that makes scripts
// run without switching.
func currentUser(t testing.TB) string {
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u.Username
}

// newHandler returns a Handler for root whose scripts run as the test's
// own user; opts adjust it before use.
func newHandler(t testing.TB, root string, opts ...func(*Handler)) *Handler {
	t.Helper()
	files, err := simplehandler.New(root, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Root.Close() })
	h := &Handler{Files: files, User: currentUser(t), ServerSoftware: "httpserve-test"}
	for _, o := range opts {
		o(h)
	}
	if err := h.Init(); err != nil {
		t.Fatal(err)
	}
	return h
}

// testServer is a basehandler.Server on 127.0.0.1:0 serving a Handler.
type testServer struct {
	addr string
	log  *syncBuffer
	stop func() // shuts the server down and waits for it
}

// startServer serves h until the test ends. protocol is the server's
// protocol_version.
func startServer(t testing.TB, h basehandler.Handler, protocol string) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, h, protocol, ln)
}

func serveOn(t testing.TB, h basehandler.Handler, protocol string, ln net.Listener) *testServer {
	ts := &testServer{addr: ln.Addr().String(), log: &syncBuffer{}}
	srv := &basehandler.Server{Handler: h, Protocol: protocol, Version: "httpserve-test",
		Log: ts.log, ShutdownTimeout: 5 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ctx, ln)
	}()
	var once sync.Once
	ts.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Error("the server did not shut down")
			}
		})
	}
	t.Cleanup(func() {
		ts.stop()
		if t.Failed() {
			t.Logf("server log:\n%s", ts.log.String())
		}
	})
	return ts
}

// syncBuffer is a log that may be written and read concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits, at most 20 seconds, for s to appear in the log.
func (b *syncBuffer) waitFor(t testing.TB, s string) {
	t.Helper()
	if !eventually(func() bool { return strings.Contains(b.String(), s) }) {
		t.Errorf("the log never showed %q; it has:\n%s", s, b.String())
	}
}

// eventually polls cond for up to 20 seconds: never a duration assertion,
// only a bound on a wait.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// response is a response read off the wire.
type response struct {
	*http.Response
	body []byte
	err  error // reading the body
}

// do sends raw, a whole request, on a new connection and reads one
// response. method says how to read it (HEAD has no body).
func (ts *testServer) do(t testing.TB, raw string) *response {
	t.Helper()
	c, err := net.DialTimeout("tcp", ts.addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	return readResponse(t, bufio.NewReader(c), methodOf(raw))
}

func methodOf(raw string) string {
	m, _, _ := strings.Cut(raw, " ")
	return m
}

func httpReadResponse(br *bufio.Reader, method string) (*http.Response, error) {
	return http.ReadResponse(br, &http.Request{Method: method})
}

func readResponse(t testing.TB, br *bufio.Reader, method string) *response {
	t.Helper()
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	return &response{Response: resp, body: body, err: err}
}

// get sends a GET of target with HTTP/1.0.
func (ts *testServer) get(t testing.TB, target string) *response {
	t.Helper()
	return ts.do(t, "GET "+target+" HTTP/1.0\r\nHost: example.com\r\n\r\n")
}

// getDump runs the self script's dump for raw.
func (ts *testServer) dump(t testing.TB, raw string) dump {
	t.Helper()
	resp := ts.do(t, raw)
	if resp.StatusCode != 200 {
		t.Fatalf("%q: status %s; body %q", raw, resp.Status, resp.body)
	}
	var d dump
	if err := json.Unmarshal(resp.body, &d); err != nil {
		t.Fatalf("%q: %v in %q", raw, err, resp.body)
	}
	return d
}

// printQuery is the query that makes the self script write out, then
// exit with code.
func printQuery(out string, extra ...string) string {
	v := url.Values{"do": {"print"}, "out": {out}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v.Encode()
}

// procAlive reports whether pid is a live process (not a zombie).
func procAlive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, rest, _ := bytes.Cut(b, []byte(") "))
	return len(rest) > 0 && rest[0] != 'Z' && rest[0] != 'X'
}

// readPids waits for a pid file and returns the pids in it.
func readPids(t testing.TB, file string) []int {
	t.Helper()
	var b []byte
	if !eventually(func() bool {
		var err error
		b, err = os.ReadFile(file)
		return err == nil
	}) {
		t.Fatalf("%s never appeared", file)
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		n, _ := strconv.Atoi(f)
		pids = append(pids, n)
	}
	return pids
}
