package main

// The CGI differential test: python3 -m http.server --cgi and httpserve
// --cgi serve the same tree of real scripts (/bin/sh, Perl and Python),
// every request goes to both, and the answers are compared: status line,
// every header but Server and Date, and the body; for the scripts that dump
// their environment, variable by variable. Where httpserve differs on
// purpose (cgihandler/doc.go, "Python compatibility"), the case names the
// difference in cgiDeliberate and asserts httpserve's side of it, and
// where it is cheap, Python's side too, so that the list of differences
// stays true.
//
// Both servers run as root here, so both run the scripts as nobody: the
// fixture must be reachable by nobody, and so must the interpreters.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cgiDeliberate lists every deliberate difference from Python's --cgi that
// the test exercises, keyed by the name its cases use. Each is one of the
// differences cgihandler/doc.go lists, unless its text says otherwise.
var cgiDeliberate = map[string]string{
	"status":         "the script's Status sets the response status; Python sends 200 and passes the Status line on as a header",
	"redirect":       "an absolute Location without Status gives 302",
	"local-redirect": "a local Location without body is served internally",
	"script-fields":  "Server, Date and hop-by-hop fields from the script are dropped",
	"bad-header":     "a script that ends before its header block is complete, or writes a malformed one, gets 502",
	"timeout":        "a script that outlives --cgi-timeout before its header block gets 504",
	"dotdot":         "a \"..\" that climbs above the root is a 404; Python sends nothing (IndexError)",
	"query-in-path":  "a \"?\" decoded from %3F stays in the script name or PATH_INFO; Python splits the query there again",
	"hash-in-name":   "a \"#\" decoded from %23 stays in the script name; Python's translate_path cuts the file name there and runs the script before it (not in doc.go)",
	"symlink-out":    "a script outside the document root, even through a symlink, is not run (404)",
	"exec-user":      "the execute permission is checked for nobody, who runs the script; Python checks it for root",
	"groups":         "the script runs with nobody's group; Python keeps root's",
	"methods":        "methods other than GET, HEAD and POST run scripts; Python answers 501",
	"argv-dash":      "an argument that would start with \"-\" is not passed (CVE-2012-1823)",
	"env-headers":    "every request header becomes HTTP_*, joined with \", \" (\"; \" for Cookie); Python passes four, joined with \",\" and \", \"",
	"env-unset":      "CONTENT_LENGTH, CONTENT_TYPE, PATH_TRANSLATED and HTTP_* are unset when there is nothing to say; Python sets \"\", \"text/plain\" or the root",
	"env-decode":     "PATH_INFO is decoded once; Python decodes it twice",
	"env-server":     "REMOTE_HOST is the client's address, SERVER_NAME comes from Host, SERVER_PROTOCOL is the request's",
	"env-auth":       "AUTH_TYPE and REMOTE_USER are never set from the unverified Authorization header",
	"env-inherited":  "HTTP_* and meta-variable names inherited from the server's environment are removed",
	"env-extra":      "REQUEST_URI, SCRIPT_FILENAME, REMOTE_PORT, DOCUMENT_ROOT and REDIRECT_STATUS are set (doc.go: \"Running it\")",
	"chunked-body":   "a chunked request body is de-chunked and its length given as CONTENT_LENGTH",
	"head":           "HEAD responses carry no body; Python sends what the script writes",
	"fds":            "scripts get stdin, stdout and stderr only, not the server's inherited descriptors",
	"nph":            "a script named nph-* writes the whole response (RFC 3875 section 5; doc.go: \"Running it\", not in its Python list)",
	"workdir":        "a script runs in its own directory (RFC 3875 section 7.2; doc.go: \"Running it\", not in its Python list); Python's run in the server's",
	"reason-latin1":  "a reason phrase beyond Latin-1 is sent with \"?\" for what Latin-1 cannot hold; Python raises UnicodeEncodeError and sends nothing (basehandler; in neither doc.go)",
	"absolute-form":  "an absolute-form target runs the script its path names (basehandler, RFC 9112 section 3.2.2); Python answers 404",
	"keep-alive":     "under -p HTTP/1.1 a script's answer is framed (chunked), so the connection is kept; Python's is not and hangs",
}

// cgiUnset stands for a variable a script's environment does not have.
const cgiUnset = "<unset>"

// cgiEnvVars are the variables the env dumpers print, one a line: NAME=value,
// or NAME alone when it is unset.
var cgiEnvVars = []string{
	"QUERY_STRING", "PATH_INFO", "PATH_TRANSLATED", "SCRIPT_NAME", "REQUEST_METHOD",
	"CONTENT_LENGTH", "CONTENT_TYPE", "SERVER_PROTOCOL", "GATEWAY_INTERFACE",
	"SERVER_SOFTWARE", "SERVER_PORT", "SERVER_NAME", "REMOTE_ADDR", "REMOTE_HOST",
	"AUTH_TYPE", "REMOTE_USER", "HTTP_USER_AGENT", "HTTP_COOKIE", "HTTP_ACCEPT",
	"HTTP_REFERER", "HTTP_HOST", "HTTP_X_CUSTOM", "HTTP_X_UNDER", "HTTP_PROXY",
	"HTTP_AUTHORIZATION", "HTTP_X_STALE", "HTTPS", "REQUEST_URI", "SCRIPT_FILENAME",
	"REMOTE_PORT", "DOCUMENT_ROOT", "REDIRECT_STATUS",
}

// cgiStaleEnv is put into both servers' environment: names a script must
// not inherit (env-inherited). Python passes them on.
var cgiStaleEnv = []string{"HTTP_X_STALE=stale", "REMOTE_USER=stale", "AUTH_TYPE=stale"}

type cgiCase struct {
	name string
	req  string // the raw request bytes
	// deliberate names the cgiDeliberate entry under which httpserve
	// differs. Without env, check then asserts httpserve's answer on its
	// own, and py, if set, Python's as doc.go describes it.
	deliberate string
	check, py  func(t *testing.T, a *cgiAnswer)
	// static: a file or directory outside the CGI directories, compared
	// as the static differential test compares them (diffCompare).
	static bool
	// env: the body is an env dump, compared variable by variable. envWant
	// holds httpserve's values of the variables that differ on purpose in
	// this case (deliberate), pyEnv Python's.
	env          bool
	envWant      map[string]string
	pyEnv        map[string]string
	server       string // "" for the main pair; "limits" or "http11" for httpserve alone
	responses    int    // answers expected on one connection (http11); 0 means 1
	skipOnNoProc bool   // needs /proc/self/fd
}

// cgiAnswer is everything a server sent on one connection, and the first
// response parsed from it if it parses.
type cgiAnswer struct {
	raw       []byte
	resp      *diffResponse // nil when raw is no complete response
	parseErr  error
	rest      []byte // what follows the first response (a HEAD body)
	more      []*diffResponse
	env       map[string]string // the parsed env dump
	addr      string            // the server's host:port
	serverHdr string
}

func (a *cgiAnswer) String() string { return fmt.Sprintf("%.400q", a.raw) }

// cgiFixture builds the served tree: scripts in cgi-bin, nested
// directories below it, htbin, and plain files outside them. It returns
// the root.
func cgiFixture(t *testing.T, python, perl string) string {
	t.Helper()
	dir := t.TempDir()
	// t.TempDir makes 0700 directories; nobody must reach the scripts.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	vars := strings.Join(cgiEnvVars, " ")
	envSh := `#!/bin/sh
printf 'Content-Type: text/plain\n\n'
for v in ` + vars + `; do
	if eval "[ \"\${$v+set}\" = set ]"; then eval "printf '%s=%s\n' $v \"\$$v\""; else printf '%s\n' "$v"; fi
done
`
	envPl := "#!" + perl + `
print "Content-Type: text/plain\n\n";
for my $v (qw(` + vars + `)) { print exists $ENV{$v} ? "$v=$ENV{$v}\n" : "$v\n" }
`
	envPy := "#!" + python + `
import os, sys
out = sys.stdout.buffer
out.write(b"Content-Type: text/plain\n\n")
for v in b"` + vars + `".split():
    out.write(v + b"=" + os.environb[v] + b"\n" if v in os.environb else v + b"\n")
`
	argvSh := `#!/bin/sh
printf 'Content-Type: text/plain\n\n%s\n' "$#"
for a; do printf '[%s]\n' "$a"; done
`
	argvPy := "#!" + python + `
import sys
sys.stdout.write("Content-Type: text/plain\n\n%d\n" % (len(sys.argv) - 1))
sys.stdout.write("".join("[%s]\n" % a for a in sys.argv[1:]))
`
	hello := "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhello\\n'\n"
	nameSh := "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n%s\\n' \"$SCRIPT_NAME\"\n"
	outside := filepath.Join(t.TempDir(), "outside.sh")
	if err := os.Chmod(filepath.Dir(outside), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(outside, []byte("#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\noutside\\n'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name, body string
		mode       os.FileMode
	}{
		{"cgi-bin/hello.sh", hello, 0o755},
		{"cgi-bin/hello.pl", "#!" + perl + "\nprint \"Content-Type: text/plain\\n\\nhello from perl\\n\";\n", 0o755},
		{"cgi-bin/hello.py", "#!" + python + "\nprint('Content-Type: text/plain\\n\\nhello from python')\n", 0o755},
		{"cgi-bin/with space.sh", nameSh, 0o755},
		{"cgi-bin/héllo.sh", nameSh, 0o755},
		{"cgi-bin/env.sh", envSh, 0o755},
		{"cgi-bin/argv.sh", argvSh, 0o755},
		{"cgi-bin/argv.py", argvPy, 0o755},
		{"cgi-bin/echo.sh", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\nhead -c \"${CONTENT_LENGTH:-0}\"\n", 0o755},
		{"cgi-bin/echo.pl", "#!" + perl + `
binmode STDIN; binmode STDOUT;
my ($n, $got, $buf) = ($ENV{CONTENT_LENGTH} || 0, 0, "");
while ($got < $n) { my $r = read(STDIN, $buf, $n - $got, $got); last unless $r; $got += $r }
print "Content-Type: text/plain\n\n$got bytes: $buf";
`, 0o755},
		{"cgi-bin/status.sh", "#!/bin/sh\nprintf 'Status: 404 Not Here\\nContent-Type: text/plain\\n\\nnot here\\n'\n", 0o755},
		{"cgi-bin/redirect.sh", "#!/bin/sh\nprintf 'Location: http://example.com/elsewhere\\n\\n'\n", 0o755},
		{"cgi-bin/moved.sh", "#!/bin/sh\nprintf 'Status: 301 Gone Away\\nLocation: http://example.com/\\nContent-Type: text/plain\\n\\nmoved\\n'\n", 0o755},
		{"cgi-bin/local.sh", "#!/bin/sh\nprintf 'Location: /plain.txt\\n\\n'\n", 0o755},
		{"cgi-bin/local-script.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/hello.sh\\n\\n'\n", 0o755},
		{"cgi-bin/local-env.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/env.sh/from?redirected=1\\n\\n'\n", 0o755},
		{"cgi-bin/local-body.sh", "#!/bin/sh\nprintf 'Location: /plain.txt\\n\\nbody\\n'\n", 0o755},
		{"cgi-bin/loop.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/loop.sh\\n\\n'\n", 0o755},
		{"cgi-bin/status200.sh", "#!/bin/sh\nprintf 'Status: 200\\nContent-Type: text/plain\\n\\nok\\n'\n", 0o755},
		{"cgi-bin/folded.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n X-Folded: yes\\n\\nok\\n'\n", 0o755},
		{"cgi-bin/fields.sh", "#!/bin/sh\nprintf 'Server: evil/1.0\\nDate: yesterday\\nConnection: keep-alive\\nX-Script: yes\\nContent-Type: text/plain\\n\\nfields\\n'\n", 0o755},
		{"cgi-bin/length.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\nContent-Length: 6\\nX-Script: length\\n\\nhello\\n'\n", 0o755},
		{"cgi-bin/crlf.sh", "#!/bin/sh\nprintf 'Content-Type: text/html\\r\\nX-Script: crlf\\r\\n\\r\\n<p>crlf</p>\\r\\n'\n", 0o755},
		{"cgi-bin/big.pl", "#!" + perl + "\nprint \"Content-Type: text/plain\\n\\n\", \"0123456789abcde\\n\" x 20000;\n", 0o755},
		{"cgi-bin/stderr.sh", "#!/bin/sh\necho 'to the log' >&2\nprintf 'Content-Type: text/plain\\n\\nstdout only\\n'\n", 0o755},
		{"cgi-bin/fail.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nfailing\\n'\nexit 3\n", 0o755},
		{"cgi-bin/empty.sh", "#!/bin/sh\nexit 0\n", 0o755},
		{"cgi-bin/crash.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n'\nexit 1\n", 0o755},
		{"cgi-bin/malformed.sh", "#!/bin/sh\nprintf 'this is not a header\\n\\nbody\\n'\n", 0o755},
		{"cgi-bin/nph-hello.sh", "#!/bin/sh\nprintf 'HTTP/1.0 299 Done By Script\\r\\nContent-Type: text/plain\\r\\n\\r\\nnph\\n'\n", 0o755},
		{"cgi-bin/sleep.sh", "#!/bin/sh\nsleep 10\nprintf 'Content-Type: text/plain\\n\\nslept\\n'\n", 0o755},
		{"cgi-bin/uid.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nid -u\n", 0o755},
		{"cgi-bin/gid.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nid -g\n", 0o755},
		{"cgi-bin/pwd.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\npwd -P\n", 0o755},
		{"cgi-bin/fds.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nfor fd in 3 4 5 6 7 8 9; do [ -e /proc/self/fd/$fd ] && echo \"fd $fd\"; done\necho end\n", 0o755},
		{"cgi-bin/noexec.sh", hello, 0o644},
		{"cgi-bin/rootonly.sh", hello, 0o744},
		{"cgi-bin/readme.txt", "not a script\n", 0o644},
		{"cgi-bin/sub/env.pl", envPl, 0o755},
		{"cgi-bin/sub/deeper/env.sh", envSh, 0o755},
		{"htbin/hello.sh", hello, 0o755},
		{"htbin/env.py", envPy, 0o755},
		{"htbin/a/b/c.sh", envSh, 0o755},
		{"plain.txt", "plain text\n", 0o644},
		{"docs/readme.txt", "readme\n", 0o644},
		{"cgi-binx/file.txt", "not a cgi directory\n", 0o644},
		{"htbin.txt", "a file, not the directory\n", 0o644},
	}
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.body), f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil { // past the umask
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"cgi-bin/link.sh": "hello.sh",
		"cgi-bin/linkdir": "sub",
		"cgi-bin/out.sh":  outside,
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	// Check once that nobody really can run a script here, so that a
	// fixture nobody cannot reach fails with its cause, not with 403s.
	if out, err := cgiAsNobody(filepath.Join(dir, "cgi-bin", "hello.sh")).CombinedOutput(); err != nil {
		t.Fatalf("nobody cannot run the fixture's scripts (is every directory above %s world-searchable?): %v\n%s", dir, err, out)
	}
	return dir
}

// cgiAsNobody is a command that runs as nobody when the test runs as root,
// as the scripts will; otherwise as the test's own user.
func cgiAsNobody(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	if os.Geteuid() != 0 {
		return cmd
	}
	if u, err := user.Lookup("nobody"); err == nil {
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}
	}
	return cmd
}

// cgiInterpreter finds the interpreter for scripts' "#!" lines: the
// program exec.LookPath finds, or where that is a wrapper nobody cannot
// run (pyenv's shims live under /root, mode 0700), the real executable
// behind it, or another one on PATH.
func cgiInterpreter(t *testing.T, name string, probe, realExe []string) string {
	t.Helper()
	found, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is required: the CGI differential test runs %s scripts", name, name)
	}
	candidates := []string{found}
	if out, err := exec.Command(found, realExe...).Output(); realExe != nil && err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		candidates = append(candidates, filepath.Join(d, name))
	}
	candidates = append(candidates, "/usr/bin/"+name, "/usr/local/bin/"+name)
	for _, c := range candidates {
		if !filepath.IsAbs(c) {
			continue
		}
		if err := cgiAsNobody(c, probe...).Run(); err == nil {
			return c
		}
	}
	t.Fatalf("no %s that nobody can run (tried %q)", name, candidates)
	return ""
}

func TestCGIDifferentialPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is required: the CGI differential test proves the drop-in claim against python3 -m http.server --cgi")
	}
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Fatal("/bin/sh is required to run the fixture's scripts")
	}
	envProg, err := exec.LookPath("env")
	if err != nil {
		t.Fatal("env(1) is required to start the servers")
	}
	needBinary(t)
	scriptPython := cgiInterpreter(t, "python3", []string{"-c", "pass"}, []string{"-c", "import sys; print(sys.executable)"})
	perl := cgiInterpreter(t, "perl", []string{"-e", "1"}, []string{"-e", "print $^X"})
	root := cgiFixture(t, scriptPython, perl)

	// Both servers start with descriptor 3 open and not close-on-exec, as
	// a careless supervisor leaves it ("fds"), and with stale CGI names in
	// their environment ("env-inherited").
	wrap := func(args ...string) []string {
		pre := []string{"/bin/sh", "-c", `exec 3</dev/null; exec "$@"`, "sh", envProg, "-u", "HTTP_PROXY", "-u", "HTTPS"}
		return append(append(pre, cgiStaleEnv...), args...)
	}
	// Registered first, this runs after the servers have been stopped
	// and their logs are complete.
	var py, hs *diffServer
	t.Cleanup(func() {
		if t.Failed() && py != nil && hs != nil {
			t.Logf("Python's log:\n%s\nhttpserve's log:\n%s", py.log, hs.log)
		}
	})
	py = startDiffServer(t, "python", wrap(python, "-u", "-m", "http.server", "--cgi", "-b", "127.0.0.1", "-d", root, "0"))
	hs = startDiffServer(t, "httpserve", wrap(binary, "--cgi", "-b", "127.0.0.1", "-d", root, "0"))
	others := map[string]*diffServer{
		"limits": startDiffServer(t, "httpserve", []string{binary, "--cgi", "--cgi-timeout", "1s", "-b", "127.0.0.1", "-d", root, "0"}),
		"http11": startDiffServer(t, "httpserve", []string{binary, "--cgi", "-p", "HTTP/1.1", "-b", "127.0.0.1", "-d", root, "0"}),
	}

	cases := cgiCases(root)
	_, hasProc := os.Stat("/proc/self/fd")
	ran, compared, alone := 0, 0, 0
	used := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ran++
			if tc.deliberate != "" {
				if _, ok := cgiDeliberate[tc.deliberate]; !ok {
					t.Fatalf("unknown deliberate difference %q", tc.deliberate)
				}
				used[tc.deliberate] = true
			}
			if tc.skipOnNoProc && hasProc != nil {
				t.Skip("no /proc/self/fd")
			}
			method, _, _ := strings.Cut(tc.req, " ")
			if tc.server != "" {
				alone++
				got := cgiExchange(t, others[tc.server], tc.req, method, max(tc.responses, 1))
				tc.check(t, got)
				return
			}
			got := cgiExchange(t, hs, tc.req, method, 1)
			if tc.deliberate != "" && !tc.env {
				alone++
				tc.check(t, got)
				if tc.py != nil {
					tc.py(t, cgiExchange(t, py, tc.req, method, 1))
				}
				return
			}
			compared++
			want := cgiExchange(t, py, tc.req, method, 1)
			switch {
			case tc.static:
				if got.resp == nil || want.resp == nil {
					t.Fatalf("no response: got %v, Python %v", got, want)
				}
				diffCompare(t, got.resp, want.resp, method)
			case tc.env:
				cgiCompareEnv(t, tc, root, got, want, used)
			default:
				cgiCompare(t, got, want, true)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
	t.Logf("%d cases, %d run: %d compared with Python, %d asserted on httpserve alone; %d deliberate differences exercised",
		len(cases), ran, compared, alone, len(used))
	if len(cases) < 40 {
		t.Errorf("only %d cases; the CGI differential test promises at least 40", len(cases))
	}
	if ran == len(cases) && !t.Failed() {
		for _, k := range slices.Sorted(maps.Keys(cgiDeliberate)) {
			if !used[k] {
				t.Errorf("deliberate difference %q is exercised by no case", k)
			}
		}
	}
}

// cgiExchange sends raw request bytes and reads until the server closes
// the connection: Python's CGI answers are framed by the close.
func cgiExchange(t *testing.T, s *diffServer, req, method string, n int) *cgiAnswer {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
	if err != nil {
		t.Fatalf("%s: %v", s.name, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(15 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatalf("%s: write: %v", s.name, err)
	}
	raw, err := io.ReadAll(c)
	if err != nil && !isReset(err) {
		t.Fatalf("%s: read: %v (got %.200q)", s.name, err, raw)
	}
	a := &cgiAnswer{raw: raw, addr: s.addr}
	br := bufio.NewReader(bytes.NewReader(raw))
	for i := range n {
		if peek, _ := br.Peek(5); string(peek) != "HTTP/" {
			break
		}
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			a.parseErr = err
			break
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			a.parseErr = err
			break
		}
		r := &diffResponse{statusLine: resp.Proto + " " + resp.Status, code: resp.StatusCode, header: resp.Header, body: body}
		if len(resp.TransferEncoding) > 0 {
			r.header.Set("Transfer-Encoding", strings.Join(resp.TransferEncoding, ", "))
		}
		if i == 0 {
			a.resp = r
		} else {
			a.more = append(a.more, r)
		}
	}
	if a.resp != nil {
		a.rest, _ = io.ReadAll(br)
		a.serverHdr = a.resp.header.Get("Server")
		a.env = parseEnvDump(a.resp.body)
	}
	return a
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }

// parseEnvDump reads an env dumper's output; it returns nil for any other
// body.
func parseEnvDump(body []byte) map[string]string {
	if !bytes.HasPrefix(body, []byte(cgiEnvVars[0])) {
		return nil
	}
	env := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSuffix(string(body), "\n"), "\n") {
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			value = cgiUnset
		}
		env[name] = value
	}
	return env
}

// cgiCompare compares two answers: the raw bytes when neither parses, else
// the status line, every header but Server and Date, the body and what
// follows it.
func cgiCompare(t *testing.T, got, want *cgiAnswer, body bool) {
	t.Helper()
	if want.resp == nil || got.resp == nil {
		if got.resp != nil || !bytes.Equal(got.raw, want.raw) {
			t.Fatalf("got %v, Python %v (parse error %v)", got, want, want.parseErr)
		}
		return
	}
	if got.resp.statusLine != want.resp.statusLine {
		t.Errorf("status line: got %q, Python %q", got.resp.statusLine, want.resp.statusLine)
	}
	names := map[string]bool{}
	for k := range got.resp.header {
		names[k] = true
	}
	for k := range want.resp.header {
		names[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(names)) {
		if k == "Server" || k == "Date" {
			continue
		}
		if g, w := got.resp.header[k], want.resp.header[k]; !slices.Equal(g, w) {
			t.Errorf("%s: got %q, Python %q", k, g, w)
		}
	}
	if body && !bytes.Equal(got.resp.body, want.resp.body) {
		t.Errorf("body differs:\n got: %.600q\nwant: %.600q", got.resp.body, want.resp.body)
	}
	if !bytes.Equal(got.rest, want.rest) {
		t.Errorf("after the response: got %.200q, Python %.200q", got.rest, want.rest)
	}
}

// cgiCompareEnv compares two env dumps. The variables that differ in every
// request, as doc.go says, are asserted on httpserve by the rules below;
// those a case names in envWant by the case; all others must be equal.
func cgiCompareEnv(t *testing.T, tc cgiCase, root string, got, want *cgiAnswer, used map[string]bool) {
	t.Helper()
	cgiCompare(t, got, want, false)
	if got.env == nil || want.env == nil {
		t.Fatalf("no env dump: got %v, Python %v", got, want)
	}
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(tc.req)))
	if err != nil {
		t.Fatalf("test bug: bad request %q: %v", tc.req, err)
	}
	expect := cgiEnvRules(req, root, got, want)
	for _, v := range cgiEnvVars {
		g, p := got.env[v], want.env[v]
		if w, ok := tc.envWant[v]; ok {
			if g != w {
				t.Errorf("%s: got %q, want %q (%s)", v, g, w, cgiDeliberate[tc.deliberate])
			}
			if pw, ok := tc.pyEnv[v]; ok && p != pw {
				t.Errorf("%s: Python %q, doc.go says %q", v, p, pw)
			}
			continue
		}
		if rule, ok := expect[v]; ok {
			if !rule.ok(g) {
				t.Errorf("%s: got %q, want %s (%s; Python %q)", v, g, rule.want, cgiDeliberate[rule.key], p)
			}
			used[rule.key] = true
			continue
		}
		switch v {
		case "SERVER_PORT": // each its own
			g, p = cgiNormal(g, portOf(got.addr), "<port>"), cgiNormal(p, portOf(want.addr), "<port>")
		case "SERVER_SOFTWARE": // each its Server header
			g, p = cgiNormal(g, got.serverHdr, "<Server>"), cgiNormal(p, want.serverHdr, "<Server>")
		}
		if g != p {
			t.Errorf("%s: got %q, Python %q", v, g, p)
		}
	}
}

func cgiNormal(v, own, placeholder string) string {
	if v == own {
		return placeholder
	}
	return v
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// cgiRule is what httpserve sets a variable to where it differs from
// Python in every request of a kind.
type cgiRule struct {
	key  string // the cgiDeliberate entry
	want string // for messages
	ok   func(string) bool
}

func cgiEqual(v string) func(string) bool { return func(s string) bool { return s == v } }

// cgiEnvRules derives from the request what httpserve's environment must
// hold where doc.go says it differs from Python's.
func cgiEnvRules(req *http.Request, root string, got, want *cgiAnswer) map[string]cgiRule {
	rules := map[string]cgiRule{}
	set := func(v, key, value string) { rules[v] = cgiRule{key, strconv.Quote(value), cgiEqual(value)} }
	for _, v := range []string{"AUTH_TYPE", "REMOTE_USER"} {
		// The servers inherit stale values, and Python replaces them with
		// what an Authorization header claims.
		key := "env-inherited"
		if req.Header.Get("Authorization") != "" {
			key = "env-auth"
		}
		set(v, key, cgiUnset)
	}
	set("HTTP_X_STALE", "env-inherited", cgiUnset)
	set("REMOTE_HOST", "env-server", "127.0.0.1")
	host := "127.0.0.1"
	if req.Host != "" {
		host, _, _ = strings.Cut(req.Host, ":")
		set("HTTP_HOST", "env-headers", req.Host)
	}
	set("SERVER_NAME", "env-server", host)
	if req.Proto != "HTTP/1.0" {
		set("SERVER_PROTOCOL", "env-server", req.Proto)
	}
	set("REQUEST_URI", "env-extra", req.RequestURI)
	set("DOCUMENT_ROOT", "env-extra", root)
	set("REDIRECT_STATUS", "env-extra", "200")
	set("SCRIPT_FILENAME", "env-extra", filepath.Join(root, filepath.FromSlash(got.env["SCRIPT_NAME"])))
	rules["REMOTE_PORT"] = cgiRule{"env-extra", "a port number", regexp.MustCompile(`^[1-9][0-9]*$`).MatchString}
	if _, ok := req.Header["Content-Length"]; !ok && len(req.TransferEncoding) == 0 {
		set("CONTENT_LENGTH", "env-unset", cgiUnset)
	}
	if _, ok := req.Header["Content-Type"]; !ok {
		set("CONTENT_TYPE", "env-unset", cgiUnset)
	}
	if pi := got.env["PATH_INFO"]; pi == "" {
		set("PATH_TRANSLATED", "env-unset", cgiUnset)
	} else if want.env["PATH_INFO"] != pi {
		// Python decodes twice; PATH_TRANSLATED follows PATH_INFO.
		set("PATH_TRANSLATED", "env-decode", root+pi)
	}
	for name, sep := range map[string]string{"Accept": ", ", "User-Agent": ", ", "Referer": ", ", "Cookie": "; ", "X-Custom": ", "} {
		v := "HTTP_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		values := req.Header.Values(name)
		switch {
		case len(values) == 0 && name != "X-Custom":
			set(v, "env-unset", cgiUnset) // Python: ""
		case len(values) > 1 || (len(values) == 1 && name == "X-Custom"):
			set(v, "env-headers", strings.Join(values, sep))
		}
	}
	return rules
}

func cgiCases(root string) []cgiCase {
	var cases []cgiCase
	get := func(p string) string { return "GET " + p + " HTTP/1.0\r\n\r\n" }
	add := func(name, req string) { cases = append(cases, cgiCase{name: name, req: req}) }
	static := func(name, req string) { cases = append(cases, cgiCase{name: name, req: req, static: true}) }
	env := func(name, req string) { cases = append(cases, cgiCase{name: name, req: req, env: true}) }
	envDiff := func(name, key, req string, want, py map[string]string) {
		cases = append(cases, cgiCase{name: name, req: req, env: true, deliberate: key, envWant: want, pyEnv: py})
	}
	deliberate := func(name, key, req string, check, py func(*testing.T, *cgiAnswer)) {
		cases = append(cases, cgiCase{name: name, req: req, deliberate: key, check: check, py: py})
	}
	// pyCrash: Python raised an exception and closed the connection.
	pyCrash := func(t *testing.T, a *cgiAnswer) {
		if len(a.raw) != 0 {
			t.Errorf("Python: got %v, want nothing (it raised an exception)", a)
		}
	}

	// Scripts in three languages, found under several spellings.
	for _, p := range []string{"/cgi-bin/hello.sh", "/cgi-bin/hello.pl", "/cgi-bin/hello.py", "/htbin/hello.sh",
		"/cgi-bin//hello.sh", "/cgi-bin/./hello.sh", "//cgi-bin/hello.sh", "/cgi-bin%2Fhello.sh", "/cgi-bin/hello.sh?",
		"/cgi-bin/with%20space.sh", "/cgi-bin/h%C3%A9llo.sh", "/cgi-bin/link.sh"} {
		add("GET "+p, get(p))
	}
	add("HTTP/1.1 request", "GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: example.org\r\n\r\n")

	// What scripts write is passed on as it is.
	for _, s := range []string{"length.sh", "crlf.sh", "big.pl", "stderr.sh", "fail.sh", "uid.sh"} {
		add("output "+s, get("/cgi-bin/"+s))
	}

	// The environment, from shell, Perl and Python dumpers.
	envDiff("env bare", "env-unset", get("/cgi-bin/env.sh"),
		map[string]string{"PATH_INFO": "", "PATH_TRANSLATED": cgiUnset, "CONTENT_LENGTH": cgiUnset, "CONTENT_TYPE": cgiUnset,
			"HTTP_USER_AGENT": cgiUnset, "HTTP_ACCEPT": cgiUnset},
		map[string]string{"PATH_INFO": "", "PATH_TRANSLATED": root, "CONTENT_LENGTH": "", "CONTENT_TYPE": "text/plain",
			"HTTP_USER_AGENT": "", "HTTP_ACCEPT": ""})
	envDiff("env inherited names", "env-inherited", get("/cgi-bin/env.sh?x"),
		map[string]string{"HTTP_X_STALE": cgiUnset, "REMOTE_USER": cgiUnset, "AUTH_TYPE": cgiUnset},
		map[string]string{"HTTP_X_STALE": "stale", "REMOTE_USER": "stale", "AUTH_TYPE": "stale"})
	env("env query", get("/cgi-bin/env.sh?a=1&b=two+words&c=%20%2B"))
	env("env query holding ..", get("/cgi-bin/env.sh?x=../..&y=/etc"))
	env("env PATH_INFO", get("/cgi-bin/env.sh/extra/path"))
	env("env PATH_INFO slash", get("/cgi-bin/env.sh/"))
	env("env PATH_INFO %2F", get("/cgi-bin/env.sh/a%2Fb"))
	env("env PATH_INFO %20", get("/cgi-bin/env.sh/with%20space?q"))
	env("env nested perl", get("/cgi-bin/sub/env.pl/extra/path?x=1"))
	env("env nested deeper", get("/cgi-bin/sub/deeper/env.sh/p"))
	env("env through a linked directory", get("/cgi-bin/linkdir/env.pl/q?x"))
	env("env htbin python", "GET /htbin/env.py HTTP/1.0\r\nUser-Agent: test-agent/1.0\r\nAccept: text/plain\r\n"+
		"Referer: http://example.com/from\r\nCookie: a=1; b=2\r\n\r\n")
	env("env htbin deep", get("/htbin/a/b/c.sh/p/q?r"))
	env("env POST", "POST /cgi-bin/env.sh HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n")
	env("env POST with a body the script ignores", "POST /cgi-bin/env.sh HTTP/1.0\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world")
	env("env proxy and underscore", "GET /cgi-bin/env.sh HTTP/1.0\r\nProxy: http://evil.example/\r\nX_Under: 1\r\nAuthorization-X: no\r\n\r\n")
	envDiff("env custom header", "env-headers", "GET /cgi-bin/env.sh HTTP/1.0\r\nX-Custom: one\r\nX-Custom: two\r\n\r\n",
		map[string]string{"HTTP_X_CUSTOM": "one, two"}, map[string]string{"HTTP_X_CUSTOM": cgiUnset})
	env("env Host", "GET /cgi-bin/env.sh HTTP/1.0\r\nHost: example.org:8080\r\n\r\n")
	envDiff("env HTTP/1.1", "env-server", "GET /cgi-bin/env.sh/x HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n",
		map[string]string{"SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "example.org", "HTTP_HOST": "example.org", "REMOTE_HOST": "127.0.0.1"},
		map[string]string{"SERVER_PROTOCOL": "HTTP/1.0", "HTTP_HOST": cgiUnset, "REMOTE_HOST": ""})
	envDiff("env cookies", "env-headers", "GET /cgi-bin/env.sh HTTP/1.0\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n",
		map[string]string{"HTTP_COOKIE": "a=1; b=2"}, map[string]string{"HTTP_COOKIE": "a=1, b=2"})
	envDiff("env accepts", "env-headers", "GET /cgi-bin/env.sh HTTP/1.0\r\nAccept: text/html\r\nAccept: text/plain\r\n\r\n",
		map[string]string{"HTTP_ACCEPT": "text/html, text/plain"}, map[string]string{"HTTP_ACCEPT": "text/html,text/plain"})
	envDiff("env Authorization", "env-auth", "GET /cgi-bin/env.sh HTTP/1.0\r\nAuthorization: Basic dXNlcjpwdw==\r\n\r\n",
		map[string]string{"AUTH_TYPE": cgiUnset, "REMOTE_USER": cgiUnset, "HTTP_AUTHORIZATION": cgiUnset}, map[string]string{"AUTH_TYPE": "Basic", "REMOTE_USER": "user", "HTTP_AUTHORIZATION": cgiUnset})
	envDiff("env PATH_INFO decoded once", "env-decode", get("/cgi-bin/env.sh/x%2541/y"),
		map[string]string{"PATH_INFO": "/x%41/y"}, map[string]string{"PATH_INFO": "/xA/y"})
	envDiff("env %3F in PATH_INFO", "query-in-path", get("/cgi-bin/env.sh/a%3Fb?q=1"),
		map[string]string{"PATH_INFO": "/a?b", "QUERY_STRING": "q=1"}, map[string]string{"PATH_INFO": "/a", "QUERY_STRING": "b?q=1"})
	deliberate("%3F in the script name", "query-in-path", get("/cgi-bin/env.sh%3Fx=1"),
		cgiStatus(404, "No such CGI script ('/cgi-bin/env.sh?x=1')", ""), func(t *testing.T, a *cgiAnswer) {
			if a.resp == nil || a.resp.code != 200 || a.env["QUERY_STRING"] != "x=1" {
				t.Errorf("Python: got %v, want env.sh run with QUERY_STRING x=1", a)
			}
		})

	deliberate("%23 in the script name", "hash-in-name", get("/cgi-bin/hello.sh%23x"),
		cgiStatus(404, "No such CGI script ('/cgi-bin/hello.sh#x')", ""), cgiPyBody("hello\n"))

	// The command line: an ISINDEX query becomes an argument.
	for _, q := range []string{"", "?", "?word", "?two+words", "?a=b", "?a=b+c", "?a%20b", "?%3D", "?+-x", "?x-y"} {
		add("argv.sh "+q, get("/cgi-bin/argv.sh"+q))
	}
	add("argv.py ?py+arg", get("/cgi-bin/argv.py?py+arg"))
	for _, q := range []string{"?-s", "?-d+auto_prepend_file%3Dphp://input", "?-"} {
		for _, s := range []string{"argv.sh", "argv.py"} {
			deliberate(s+" "+q, "argv-dash", get("/cgi-bin/"+s+q), cgiBody(200, "0\n"), cgiPyBody("1\n["+strings.ReplaceAll(q[1:], "+", " ")+"]\n"))
		}
	}

	// Request bodies.
	add("POST echo.sh", "POST /cgi-bin/echo.sh HTTP/1.0\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world")
	add("POST echo.pl form", "POST /cgi-bin/echo.pl HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\na=1&b=%20&c=+")
	big := strings.Repeat("0123456789abcdef", 4096)
	add("POST echo.sh 64 KiB", "POST /cgi-bin/echo.sh HTTP/1.0\r\nContent-Length: "+strconv.Itoa(len(big))+"\r\n\r\n"+big)
	add("POST echo.pl empty", "POST /cgi-bin/echo.pl HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
	add("POST to a file", "POST /plain.txt HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
	add("POST to a missing file", "POST /nope HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
	add("POST to a directory", "POST /docs/ HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
	add("POST to cgi-bin/", "POST /cgi-bin/ HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
	add("POST to a missing script", "POST /cgi-bin/nope.sh HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
	deliberate("POST chunked", "chunked-body", "POST /cgi-bin/echo.pl HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"+
		"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", cgiBody(200, "11 bytes: hello world"), nil)

	// Refusals, with Python's messages.
	for _, p := range []string{"/cgi-bin/noexec.sh", "/cgi-bin/readme.txt", "/cgi-bin/sub", "/cgi-bin/sub/", "/cgi-bin/",
		"/htbin/", "/cgi-bin/?x=1", "/cgi-bin/sub/deeper", "/cgi-bin/nope.sh", "/cgi-bin/nope.sh/extra?q", "/cgi-bin/sub/nope.pl",
		"/cgi-bin/hello.sh%00", "/cgi-bin/a%0Ab.sh", "/cgi-bin/a%7Fb.sh",
		"/cgi-bin/it's.sh", "/cgi-bin/%C3%A9t%C3%A9.sh", "/cgi-bin/hello.sh.bak", "/htbin/a/b"} {
		add("refused "+p, get(p))
	}
	deliberate("refused /cgi-bin/%E2%82%AC.sh", "reason-latin1", get("/cgi-bin/%E2%82%AC.sh"), func(t *testing.T, a *cgiAnswer) {
		cgiStatus(404, "No such CGI script ('/cgi-bin/?.sh')", "")(t, a)
		if a.resp != nil && !bytes.Contains(a.resp.body, []byte("No such CGI script ('/cgi-bin/\u20ac.sh')")) {
			t.Errorf("body %q: want the name in full", a.resp.body)
		}
	}, pyCrash)
	add("HEAD refused", "HEAD /cgi-bin/nope.sh HTTP/1.0\r\n\r\n")

	// Everything outside the CGI directories is a file.
	for _, p := range []string{"/plain.txt", "/", "/docs/", "/docs", "/docs/readme.txt", "/cgi-bin", "/htbin", "/cgi-bin?x=1",
		"/cgi-binx/file.txt", "/cgi-binx/", "/htbin.txt", "/nope", "/CGI-BIN/hello.sh"} {
		static("static GET "+p, get(p))
	}
	static("static HEAD /plain.txt", "HEAD /plain.txt HTTP/1.0\r\n\r\n")
	static("static HEAD /", "HEAD / HTTP/1.0\r\n\r\n")

	// The script's header block is parsed.
	deliberate("Status", "status", get("/cgi-bin/status.sh"),
		cgiStatus(404, "Not Here", "not here\n"), cgiPyHeader("Status", "404 Not Here"))
	deliberate("Status with Location", "status", get("/cgi-bin/moved.sh"), func(t *testing.T, a *cgiAnswer) {
		cgiStatus(301, "Gone Away", "moved\n")(t, a)
		if a.resp != nil && a.resp.header.Get("Location") != "http://example.com/" {
			t.Errorf("Location %q", a.resp.header.Get("Location"))
		}
	}, cgiPyHeader("Status", "301 Gone Away"))
	deliberate("absolute Location", "redirect", get("/cgi-bin/redirect.sh"), func(t *testing.T, a *cgiAnswer) {
		cgiStatus(302, "Found", "")(t, a)
		if a.resp != nil && a.resp.header.Get("Location") != "http://example.com/elsewhere" {
			t.Errorf("Location %q", a.resp.header.Get("Location"))
		}
	}, cgiPyHeader("Location", "http://example.com/elsewhere"))
	deliberate("local Location", "local-redirect", get("/cgi-bin/local.sh"), func(t *testing.T, a *cgiAnswer) {
		cgiStatus(200, "OK", "plain text\n")(t, a)
		if a.resp != nil && a.resp.header.Get("Location") != "" {
			t.Errorf("Location %q sent to the client", a.resp.header.Get("Location"))
		}
	}, cgiPyHeader("Location", "/plain.txt"))
	deliberate("local Location to a script", "local-redirect", get("/cgi-bin/local-script.sh"),
		cgiStatus(200, "Script output follows", "hello\n"), cgiPyHeader("Location", "/cgi-bin/hello.sh"))
	deliberate("local Location to a script with a query", "local-redirect", get("/cgi-bin/local-env.sh"), func(t *testing.T, a *cgiAnswer) {
		if a.resp == nil || a.resp.code != 200 || a.env["SCRIPT_NAME"] != "/cgi-bin/env.sh" || a.env["PATH_INFO"] != "/from" ||
			a.env["QUERY_STRING"] != "redirected=1" || a.env["REQUEST_METHOD"] != "GET" {
			t.Errorf("got %v, want env.sh run for /cgi-bin/env.sh/from?redirected=1", a)
		}
	}, cgiPyHeader("Location", "/cgi-bin/env.sh/from?redirected=1"))
	deliberate("local Location in a loop", "local-redirect", get("/cgi-bin/loop.sh"),
		cgiStatus(500, "Internal Server Error", ""), cgiPyHeader("Location", "/cgi-bin/loop.sh"))
	deliberate("local Location with a body", "redirect", get("/cgi-bin/local-body.sh"), func(t *testing.T, a *cgiAnswer) {
		cgiStatus(302, "Found", "body\n")(t, a)
		if a.resp != nil && a.resp.header.Get("Location") != "/plain.txt" {
			t.Errorf("Location %q", a.resp.header.Get("Location"))
		}
	}, cgiPyHeader("Location", "/plain.txt"))
	deliberate("Status without reason", "status", get("/cgi-bin/status200.sh"), cgiStatus(200, "OK", "ok\n"), cgiPyHeader("Status", "200"))
	deliberate("HEAD local Location", "local-redirect", "HEAD /cgi-bin/local.sh HTTP/1.0\r\n\r\n", func(t *testing.T, a *cgiAnswer) {
		cgiStatus(200, "OK", "")(t, a)
		if a.resp != nil && (a.resp.header.Get("Content-Length") != "11" || len(a.rest) != 0) {
			t.Errorf("got %v, want the head of /plain.txt", a)
		}
	}, nil)
	deliberate("Server, Date and Connection from the script", "script-fields", get("/cgi-bin/fields.sh"), func(t *testing.T, a *cgiAnswer) {
		cgiStatus(200, "Script output follows", "fields\n")(t, a)
		if a.resp == nil {
			return
		}
		h := a.resp.header
		if len(h["Server"]) != 1 || h.Get("Server") == "evil/1.0" || len(h["Date"]) != 1 || h.Get("Date") == "yesterday" ||
			h.Get("Connection") == "keep-alive" || h.Get("X-Script") != "yes" {
			t.Errorf("header %v: want the server's own Server and Date, no Connection: keep-alive, X-Script passed", h)
		}
	}, func(t *testing.T, a *cgiAnswer) {
		if a.resp == nil || len(a.resp.header["Server"]) != 2 || len(a.resp.header["Date"]) != 2 {
			t.Errorf("Python: got %v, want both Server and both Date fields", a)
		}
	})
	for _, s := range []string{"empty.sh", "crash.sh", "malformed.sh", "folded.sh"} {
		deliberate("bad header block "+s, "bad-header", get("/cgi-bin/"+s), cgiStatus(502, "Bad Gateway", ""),
			func(t *testing.T, a *cgiAnswer) {
				if !bytes.HasPrefix(a.raw, []byte("HTTP/1.0 200 Script output follows\r\n")) {
					t.Errorf("Python: got %v, want 200 and whatever the script wrote", a)
				}
			})
	}
	deliberate("nph script", "nph", get("/cgi-bin/nph-hello.sh"), func(t *testing.T, a *cgiAnswer) {
		want := "HTTP/1.0 299 Done By Script\r\nContent-Type: text/plain\r\n\r\nnph\n"
		if string(a.raw) != want {
			t.Errorf("got %q, want the script's own response %q", a.raw, want)
		}
	}, func(t *testing.T, a *cgiAnswer) {
		if !bytes.Contains(a.raw, []byte("Script output follows\r\n")) || !bytes.Contains(a.raw, []byte("\r\nHTTP/1.0 299 Done By Script\r\n")) {
			t.Errorf("Python: got %v, want its own status line before the script's", a)
		}
	})

	deliberate("HEAD nph script", "nph", "HEAD /cgi-bin/nph-hello.sh HTTP/1.0\r\n\r\n", func(t *testing.T, a *cgiAnswer) {
		if a.resp == nil || a.resp.statusLine != "HTTP/1.0 299 Done By Script" || a.resp.header.Get("Content-Type") != "text/plain" || len(a.rest) != 0 {
			t.Errorf("got %v, want the script's head without its body", a)
		}
	}, nil)
	deliberate("absolute-form", "absolute-form", "GET http://example.com/cgi-bin/hello.sh HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n",
		cgiStatus(200, "Script output follows", "hello\n"), cgiPyStatus(404, "File not found"))
	deliberate("absolute-form POST", "absolute-form", "POST http://example.com/cgi-bin/echo.sh HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
		cgiStatus(200, "Script output follows", "hi"), cgiPyStatus(501, "Can only POST to CGI scripts"))

	// HEAD and other methods.
	deliberate("HEAD", "head", "HEAD /cgi-bin/hello.sh HTTP/1.0\r\n\r\n", func(t *testing.T, a *cgiAnswer) {
		cgiStatus(200, "Script output follows", "")(t, a)
		if a.resp != nil && (a.resp.header.Get("Content-Type") != "text/plain" || len(a.rest) != 0) {
			t.Errorf("got %v, want the script's head without its body", a)
		}
	}, func(t *testing.T, a *cgiAnswer) {
		if string(a.rest) != "hello\n" {
			t.Errorf("Python: got %v, want the body after the head", a)
		}
	})
	deliberate("HEAD Status", "head", "HEAD /cgi-bin/status.sh HTTP/1.0\r\n\r\n", cgiStatus(404, "Not Here", ""), nil)
	for _, m := range []string{"PUT", "DELETE", "PATCH", "OPTIONS"} {
		deliberate(m+" runs the script", "methods", m+" /cgi-bin/env.sh HTTP/1.0\r\nContent-Length: 0\r\n\r\n", func(t *testing.T, a *cgiAnswer) {
			if a.resp == nil || a.resp.code != 200 || a.env["REQUEST_METHOD"] != m {
				t.Errorf("got %v, want env.sh run with REQUEST_METHOD %s", a, m)
			}
		}, cgiPyStatus(501, "Unsupported method ('"+m+"')"))
	}

	// Paths with "..": resolved as Python resolves them while they stay
	// inside the root; a 404 where Python crashes.
	add("dotdot back into cgi-bin", get("/cgi-bin/../cgi-bin/hello.sh"))
	add("dotdot out of a subdirectory", get("/cgi-bin/sub/../hello.sh"))
	add("encoded dotdot", get("/cgi-bin/%2e%2e/cgi-bin/hello.sh"))
	add("dotdot after the script", get("/cgi-bin/hello.sh/.."))
	static("dotdot to a static file", get("/docs/../plain.txt"))
	for _, d := range []struct {
		path string
		py   func(*testing.T, *cgiAnswer)
	}{
		{"/cgi-bin/../../etc/passwd", pyCrash},
		{"/../cgi-bin/hello.sh", pyCrash},
		{"/cgi-bin/..%2f..%2fbin/sh", pyCrash},
		{"/cgi-bin/%2e%2e/%2e%2e/bin/sh", pyCrash},
	} {
		deliberate("dotdot "+d.path, "dotdot", get(d.path), cgiStatus(404, "File not found", ""), d.py)
	}
	deliberate("symlink out of the root", "symlink-out", get("/cgi-bin/out.sh"),
		cgiStatus(404, "No such CGI script ('/cgi-bin/out.sh')", ""), cgiPyBody("outside\n"))

	// Who runs the script, where, with what.
	deliberate("executable by root only", "exec-user", get("/cgi-bin/rootonly.sh"),
		cgiStatus(403, "CGI script is not executable ('/cgi-bin/rootonly.sh')", ""), func(t *testing.T, a *cgiAnswer) {
			if a.resp != nil || !bytes.HasPrefix(a.raw, []byte("HTTP/1.0 200 Script output follows\r\n")) {
				t.Errorf("Python: got %v, want 200 and no header block (the exec fails as nobody)", a)
			}
		})
	deliberate("group", "groups", get("/cgi-bin/gid.sh"), func(t *testing.T, a *cgiAnswer) {
		if os.Geteuid() != 0 {
			t.Skip("not root: nobody to switch to")
		}
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skip(err)
		}
		cgiBody(200, u.Gid+"\n")(t, a)
	}, cgiPyBody("0\n"))
	deliberate("working directory", "workdir", get("/cgi-bin/pwd.sh"), cgiBody(200, filepath.Join(root, "cgi-bin")+"\n"),
		func(t *testing.T, a *cgiAnswer) {
			if a.resp != nil && string(a.resp.body) == filepath.Join(root, "cgi-bin")+"\n" {
				t.Errorf("Python: the script ran in its own directory")
			}
		})
	cases = append(cases, cgiCase{name: "inherited descriptors", deliberate: "fds", req: get("/cgi-bin/fds.sh"),
		skipOnNoProc: true, check: cgiBody(200, "end\n"), py: cgiPyBody("fd 3\nend\n")})

	// Limits and framing, on other httpserve instances.
	cases = append(cases, cgiCase{name: "timeout", deliberate: "timeout", server: "limits", req: get("/cgi-bin/sleep.sh"),
		check: cgiStatus(504, "Gateway Timeout", "")})
	cases = append(cases, cgiCase{name: "keep-alive", deliberate: "keep-alive", server: "http11", responses: 3,
		req: "GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /cgi-bin/length.sh HTTP/1.1\r\nHost: x\r\n\r\n" +
			"GET /cgi-bin/hello.pl HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		check: func(t *testing.T, a *cgiAnswer) {
			if a.resp == nil || len(a.more) != 2 {
				t.Fatalf("got %v, want three answers on one connection (%v)", a, a.parseErr)
			}
			for i, w := range []struct{ te, cl, body string }{{"chunked", "", "hello\n"}, {"", "6", "hello\n"}, {"", "", "hello from perl\n"}} {
				r := append([]*diffResponse{a.resp}, a.more...)[i]
				if r.code != 200 || r.header.Get("Transfer-Encoding") != w.te || r.header.Get("Content-Length") != w.cl || string(r.body) != w.body {
					t.Errorf("answer %d: %q %v %q; want 200, Transfer-Encoding %q, Content-Length %q, %q", i, r.statusLine, r.header, r.body, w.te, w.cl, w.body)
				}
			}
		}})
	return cases
}

// cgiStatus checks httpserve's status line and, unless body is "", its
// body.
func cgiStatus(code int, reason, body string) func(*testing.T, *cgiAnswer) {
	return func(t *testing.T, a *cgiAnswer) {
		t.Helper()
		want := fmt.Sprintf("HTTP/1.0 %d %s", code, reason)
		if a.resp == nil || a.resp.statusLine != want || (body != "" && string(a.resp.body) != body) {
			t.Errorf("got %v, want %q with body %q", a, want, body)
		}
	}
}

// cgiBody checks httpserve's status code and body.
func cgiBody(code int, body string) func(*testing.T, *cgiAnswer) {
	return func(t *testing.T, a *cgiAnswer) {
		t.Helper()
		if a.resp == nil || a.resp.code != code || string(a.resp.body) != body {
			t.Errorf("got %v, want %d with body %q", a, code, body)
		}
	}
}

// cgiPyBody checks that Python ran the script (or served the file) and
// answered with body.
func cgiPyBody(body string) func(*testing.T, *cgiAnswer) {
	return func(t *testing.T, a *cgiAnswer) {
		t.Helper()
		if a.resp == nil || a.resp.code != 200 || string(a.resp.body) != body {
			t.Errorf("Python: got %v, want 200 with body %q", a, body)
		}
	}
}

// cgiPyHeader checks that Python answered 200 "Script output follows" and
// passed the script's field on as a header.
func cgiPyHeader(name, value string) func(*testing.T, *cgiAnswer) {
	return func(t *testing.T, a *cgiAnswer) {
		t.Helper()
		if a.resp == nil || a.resp.statusLine != "HTTP/1.0 200 Script output follows" || a.resp.header.Get(name) != value {
			t.Errorf("Python: got %v, want 200 Script output follows with %s: %s", a, name, value)
		}
	}
}

func cgiPyStatus(code int, reason string) func(*testing.T, *cgiAnswer) {
	return func(t *testing.T, a *cgiAnswer) {
		t.Helper()
		if want := fmt.Sprintf("HTTP/1.0 %d %s", code, reason); a.resp == nil || a.resp.statusLine != want {
			t.Errorf("Python: got %v, want %q", a, want)
		}
	}
}
