package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
)

var update = flag.Bool("update", false, "update .golden files")

// mustParser builds the real parser around cli, with an Exit hook that
// fails the test, as kong's own tests do (kong_test.go mustNew).
func mustParser(t *testing.T, cli *CLI) *kong.Kong {
	t.Helper()
	var stdout, stderr bytes.Buffer
	parser, err := newParser(cli, &stdout, &stderr, func(int) {
		t.Helper()
		t.Fatalf("unexpected exit()")
	})
	if err != nil {
		t.Fatal(err)
	}
	return parser
}

func TestParse(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	defaults := CLI{Port: 8000, Directory: ".", Protocol: "HTTP/1.0", Sort: "name", Order: "asc", CGITimeout: 5 * time.Minute, CGIMax: 64}
	with := func(f func(*CLI)) CLI { c := defaults; f(&c); return c }

	tests := []struct {
		name    string
		args    []string
		want    CLI
		wantErr string // a substring of the error; "" means success
	}{
		{"defaults", nil, defaults, ""},
		{"port", []string{"8080"}, with(func(c *CLI) { c.Port = 8080 }), ""},
		{"port zero", []string{"0"}, with(func(c *CLI) { c.Port = 0 }), ""},
		{"port max", []string{"65535"}, with(func(c *CLI) { c.Port = 65535 }), ""},
		{"short flags", []string{"-b", "127.0.0.1", "-d", dir, "-p", "HTTP/1.1", "9000"},
			with(func(c *CLI) { c.Bind, c.Directory, c.Protocol, c.Port = "127.0.0.1", dir, "HTTP/1.1", 9000 }), ""},
		{"long flags", []string{"--bind=::1", "--directory", dir, "--protocol=HTTP/1.0", "--cgi", "--follow-symlinks"},
			with(func(c *CLI) { c.Bind, c.Directory, c.CGI, c.FollowSymlinks = "::1", dir, true, true }), ""},
		{"port before flags", []string{"1234", "--cgi"}, with(func(c *CLI) { c.Port, c.CGI = 1234, true }), ""},
		{"bind hostname", []string{"-b", "localhost"}, with(func(c *CLI) { c.Bind = "localhost" }), ""},

		{"port too big", []string{"65536"}, CLI{}, "port 65536 is out of range"},
		{"port not a number", []string{"http"}, CLI{}, `[<port>]: expected a valid 64 bit int but got "http"`},
		{"two ports", []string{"1", "2"}, CLI{}, `unexpected argument 2`},
		{"protocol", []string{"-p", "HTTP/2"}, CLI{}, `--protocol "HTTP/2" is not supported`},
		{"protocol case", []string{"--protocol", "http/1.1"}, CLI{}, `--protocol "http/1.1" is not supported`},
		{"protocol missing value", []string{"-p"}, CLI{}, `--protocol: expected string value`},
		{"missing directory", []string{"-d", missing}, CLI{}, `directory "` + missing + `" does not exist`},
		{"directory is a file", []string{"-d", file}, CLI{}, `--directory "` + file + `" is not a directory`},
		{"unknown flag", []string{"--nope"}, CLI{}, "unknown flag --nope"},
		{"unknown short flag", []string{"-x"}, CLI{}, "unknown flag -x"},

		// HTTPS.
		{"tls cert and key", []string{"--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-password-file", "pw"},
			with(func(c *CLI) { c.TLSCert, c.TLSKey, c.TLSPasswordFile = "c.pem", "k.pem", "pw" }), ""},
		{"tls cert alone", []string{"--tls-cert=both.pem"}, with(func(c *CLI) { c.TLSCert = "both.pem" }), ""},
		{"tls self-signed", []string{"--tls-self-signed"}, with(func(c *CLI) { c.TLSSelfSigned = true }), ""},
		{"tls key without cert", []string{"--tls-key", "k.pem"}, CLI{}, "--tls-key requires --tls-cert to be set"},
		{"tls password without cert", []string{"--tls-password-file", "pw"}, CLI{}, "--tls-password-file requires --tls-cert to be set"},
		{"tls self-signed and cert", []string{"--tls-self-signed", "--tls-cert", "c.pem"}, CLI{}, "--tls-self-signed cannot be used with --tls-cert"},
		{"tls cert missing value", []string{"--tls-cert"}, CLI{}, "--tls-cert: expected string value"},

		// Responses.
		{"header", []string{"--header", "Cache-Control: no-store, max-age=0"},
			with(func(c *CLI) { c.Header = []string{"Cache-Control: no-store, max-age=0"} }), ""},
		{"headers", []string{"--header=X-A: 1", "--header", "X-B:2", "--header", "X-Empty:"},
			with(func(c *CLI) { c.Header = []string{"X-A: 1", "X-B:2", "X-Empty:"} }), ""},
		{"header without colon", []string{"--header", "X-A 1"}, CLI{}, `--header "X-A 1" has no colon`},
		{"header bad name", []string{"--header", "X A: 1"}, CLI{}, `--header "X A: 1": "X A" is not a valid field name`},
		{"header empty name", []string{"--header", ": 1"}, CLI{}, `--header ": 1": "" is not a valid field name`},
		{"header CR LF", []string{"--header", "X-A: 1\r\nSet-Cookie: a=b"}, CLI{}, `the value holds a control character`},
		{"header NUL", []string{"--header", "X-A: 1\x00"}, CLI{}, `the value holds a control character`},
		{"header framing", []string{"--header", "content-length: 5"}, CLI{}, `--header "content-length: 5": httpserve sets content-length itself`},
		{"header server", []string{"--header", "Server: x"}, CLI{}, `httpserve sets Server itself`},
		{"cors and compress", []string{"--cors", "--compress"}, with(func(c *CLI) { c.CORS, c.Compress = true, true }), ""},

		// Files and listings.
		{"listing flags", []string{"--sort", "size", "--order", "desc", "--dirs-first", "--hide-dotfiles", "--no-listing"},
			with(func(c *CLI) {
				c.Sort, c.Order, c.DirsFirst, c.HideDotfiles, c.NoListing = "size", "desc", true, true, true
			}), ""},
		{"sort time", []string{"--sort=time"}, with(func(c *CLI) { c.Sort = "time" }), ""},
		{"sort unknown", []string{"--sort", "date"}, CLI{}, `--sort must be one of "name","size","time" but got "date"`},
		{"order unknown", []string{"--order", "up"}, CLI{}, `--order must be one of "asc","desc" but got "up"`},

		// CGI.
		{"cgi flags", []string{"--cgi", "--cgi-dir", "/scripts", "--cgi-dir=/a,b", "--cgi-user", "www-data",
			"--cgi-timeout", "30s", "--cgi-max", "8", "--cgi-clean-env", "--cgi-env", "A=1,2", "--cgi-env", "HOME"},
			with(func(c *CLI) {
				c.CGI, c.CGIDir, c.CGIUser, c.CGITimeout, c.CGIMax = true, []string{"/scripts", "/a,b"}, "www-data", 30*time.Second, 8
				c.CGICleanEnv, c.CGIEnv = true, []string{"A=1,2", "HOME"}
			}), ""},
		{"cgi no limits", []string{"--cgi", "--cgi-timeout", "0", "--cgi-max", "0"},
			with(func(c *CLI) { c.CGI, c.CGITimeout, c.CGIMax = true, 0, 0 }), ""},
		{"cgi-dir without cgi", []string{"--cgi-dir", "/x"}, CLI{}, "--cgi-dir requires --cgi"},
		{"cgi-timeout default without cgi", []string{"--cgi-timeout", "5m"}, CLI{}, "--cgi-timeout requires --cgi"},
		{"cgi-env without cgi", []string{"--cgi-env", "A=1"}, CLI{}, "--cgi-env requires --cgi"},
		{"cgi-dir relative", []string{"--cgi", "--cgi-dir", "cgi-bin"}, CLI{}, `--cgi-dir "cgi-bin" is not a directory path`},
		{"cgi-dir root", []string{"--cgi", "--cgi-dir", "/./"}, CLI{}, `--cgi-dir "/./" is not a directory path`},
		{"cgi-dir dot dot", []string{"--cgi", "--cgi-dir", "/a/../b"}, CLI{}, `--cgi-dir "/a/../b" is not a directory path`},
		{"cgi-timeout negative", []string{"--cgi", "--cgi-timeout=-1s"}, CLI{}, "--cgi-timeout -1s is negative"},
		{"cgi-timeout not a duration", []string{"--cgi", "--cgi-timeout", "soon"}, CLI{}, `--cgi-timeout: expected duration but got "soon"`},
		{"cgi-max negative", []string{"--cgi", "--cgi-max=-1"}, CLI{}, "--cgi-max -1 is negative"},
		{"cgi-max not a number", []string{"--cgi", "--cgi-max", "many"}, CLI{}, `--cgi-max: expected a valid 64 bit int but got "many"`},
		{"cgi-env empty name", []string{"--cgi", "--cgi-env", "=x"}, CLI{}, `--cgi-env "=x" is not NAME or NAME=VALUE`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got CLI
			_, err := mustParser(t, &got).Parse(tt.args)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Parse(%q): %v", tt.args, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Parse(%q) = %+v, want error %q", tt.args, got, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("Parse(%q) error = %q, want it to contain %q", tt.args, err, tt.wantErr)
			case tt.wantErr == "" && !reflect.DeepEqual(got, tt.want):
				t.Fatalf("Parse(%q)\n got %+v\nwant %+v", tt.args, got, tt.want)
			}
		})
	}
}

// TestRunUsage checks what run prints and returns when it stops before
// serving: the exit status, standard output and standard error.
func TestRunUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // a prefix of standard output
		wantStderr string // all of standard error
	}{
		{"help", []string{"--help"}, 0, "Usage: httpserve [<port>] [flags]\n", ""},
		{"short help", []string{"-h"}, 0, "Usage: httpserve [<port>] [flags]\n", ""},
		{"help wins over errors", []string{"-p", "HTTP/9", "--help"}, 0, "Usage: httpserve", ""},
		{"version", []string{"--version"}, 0, "httpserve " + getVersion() + "\n", ""},
		{"man", []string{"--man"}, 0, ".TH HTTPSERVE 1 ", ""},
		{"unknown flag", []string{"--nope"}, 2, "",
			"httpserve: error: unknown flag --nope\n" +
				"httpserve: hint: run \"httpserve --help\" for usage\n"},
		{"bad protocol", []string{"-p", "HTTP/2"}, 2, "",
			"httpserve: error: --protocol \"HTTP/2\" is not supported\n" +
				"httpserve: hint: use --protocol HTTP/1.0 (the default) or --protocol HTTP/1.1\n"},
		{"port out of range", []string{"100000"}, 2, "",
			"httpserve: error: port 100000 is out of range\n" +
				"httpserve: hint: a port is a number from 0 to 65535; 0 picks a free one\n"},
		{"missing directory", []string{"-d", missing}, 2, "",
			"httpserve: error: directory \"" + missing + "\" does not exist\n" +
				"httpserve: hint: --directory takes an existing directory; the default is the current one\n"},
		{"bad header", []string{"--header", "X-Frame-Options DENY"}, 2, "",
			"httpserve: error: --header \"X-Frame-Options DENY\" has no colon\n" +
				"httpserve: hint: --header takes \"Name: value\", such as --header 'Cache-Control: no-store'\n"},
		{"tls key without cert", []string{"--tls-key", "key.pem"}, 2, "",
			"httpserve: error: --tls-key requires --tls-cert to be set\n" +
				"httpserve: hint: give the certificate with --tls-cert, or use --tls-self-signed alone\n"},
		{"cgi flag without cgi", []string{"--cgi-user", "www-data"}, 2, "",
			"httpserve: error: --cgi-user requires --cgi\n" +
				"httpserve: hint: add --cgi to run CGI scripts\n"},
		{"unknown sort", []string{"--sort", "date"}, 2, "",
			"httpserve: error: --sort must be one of \"name\",\"size\",\"time\" but got \"date\"\n" +
				"httpserve: hint: run \"httpserve --help\" for usage\n"},
		{"unresolvable bind", []string{"-b", "no-such-host.invalid", "0"}, 2, "",
			"httpserve: error: invalid bind address \"no-such-host.invalid\": no such host\n" +
				"httpserve: hint: --bind takes an IP address such as 127.0.0.1 or ::1, or a host name of this machine\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d", code, tt.wantCode)
			}
			if !strings.HasPrefix(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout:\n%s\nwant it to start with:\n%s", stdout.String(), tt.wantStdout)
			}
			if tt.wantStdout == "" && stdout.Len() != 0 {
				t.Errorf("stdout:\n%s\nwant nothing", stdout.String())
			}
			if stderr.String() != tt.wantStderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), tt.wantStderr)
			}
		})
	}
}

func TestHelpGolden(t *testing.T) {
	t.Setenv("COLUMNS", "80") // kong wraps --help to the terminal's width
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--help: exit status %d, stderr:\n%s", code, stderr.String())
	}
	checkGolden(t, filepath.Join("testdata", "help.golden"), stdout.Bytes())
}

// checkGolden compares got with the file at path, or rewrites the file
// under -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update if the change is intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
