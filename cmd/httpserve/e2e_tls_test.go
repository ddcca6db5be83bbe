package main

// End-to-end tests of HTTPS: --tls-cert, --tls-key, --tls-password-file
// and --tls-self-signed, run with the real binary.

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tlsGet fetches url with a client using cfg, and returns the response
// with its body read.
func tlsGet(t *testing.T, cfg *tls.Config, url string) (*http.Response, string, error) {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: cfg}
	defer tr.CloseIdleConnections()
	client := &http.Client{Timeout: 10 * time.Second, Transport: tr}
	resp, err := client.Get(url)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

func TestE2ETLS(t *testing.T) {
	needBinary(t)
	p := newTestPKI(t)
	const password = "open sesame"
	pwFile := writeFile(t, p.dir, "password.txt", []byte(password+"\n"))
	certPEM := readFile(t, p.certFile)
	combined := writeFile(t, p.dir, "combined.pem", append(certPEM, readFile(t, p.keyFile)...))

	tests := []struct {
		name string
		args []string
	}{
		{"cert and key", []string{"--tls-cert", p.certFile, "--tls-key", p.keyFile}},
		{"key in the cert file", []string{"--tls-cert", combined}},
		{"PKCS#8 encrypted key", []string{"--tls-cert", p.certFile, "--tls-key", p.encryptedKey(t, "pkcs8", password), "--tls-password-file", pwFile}},
		{"legacy encrypted key", []string{"--tls-cert", p.certFile, "--tls-key", p.encryptedKey(t, "legacy", password), "--tls-password-file", pwFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proc := start(t, append(tt.args, "-b", "127.0.0.1", "-d", serveDir(t), "0")...)
			_, port := proc.banner(t)
			want := fmt.Sprintf("Serving HTTPS on 127.0.0.1 port %d (https://127.0.0.1:%d/) ...\n", port, port)
			if got := proc.stdout.String(); got != want {
				t.Errorf("stdout = %q, want %q", got, want)
			}
			for _, host := range []string{"localhost", "127.0.0.1"} {
				resp, body, err := tlsGet(t, &tls.Config{RootCAs: p.roots}, fmt.Sprintf("https://%s:%d/hello.txt", host, port))
				if err != nil {
					t.Fatalf("GET via %s: %v\nstderr:\n%s", host, err, proc.stderr.String())
				}
				if resp.StatusCode != 200 || body != "hello\n" {
					t.Errorf("GET /hello.txt via %s = %d %q, want 200 %q", host, resp.StatusCode, body, "hello\n")
				}
				if resp.TLS == nil || len(resp.TLS.PeerCertificates) != 2 {
					t.Errorf("TLS state %+v, want the chain of 2 certificates", resp.TLS)
				}
			}
		})
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var fingerprintRE = regexp.MustCompile(`\nCertificate SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\n$`)

// startSelfSigned runs httpserve --tls-self-signed on 127.0.0.1 and
// returns it, its port and the fingerprint its banner shows.
func startSelfSigned(t *testing.T, args ...string) (p *process, port int, fp string) {
	t.Helper()
	p = start(t, append(args, "--tls-self-signed", "-b", "127.0.0.1", "-d", serveDir(t), "0")...)
	_, port = p.banner(t)
	waitFor(t, 10*time.Second, "the fingerprint line", func() bool {
		return strings.Count(p.stdout.String(), "\n") >= 2
	})
	m := fingerprintRE.FindStringSubmatch(p.stdout.String())
	if m == nil {
		t.Fatalf("stdout = %q, want the banner and a fingerprint line", p.stdout.String())
	}
	return p, port, m[1]
}

// pinned trusts exactly the certificate whose SHA-256 fingerprint is fp,
// as a user comparing the banner with the browser's display does.
func pinned(fp string) *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true, // replaced by the pin below
		VerifyPeerCertificate: func(rawCerts [][]byte, _ [][]*x509.Certificate) error {
			if len(rawCerts) == 0 || fingerprint(rawCerts[0]) != fp {
				return errors.New("certificate fingerprint does not match the banner's")
			}
			return nil
		},
	}
}

func TestE2ETLSSelfSigned(t *testing.T) {
	p, port, fp := startSelfSigned(t)
	want := fmt.Sprintf("Serving HTTPS on 127.0.0.1 port %d (https://127.0.0.1:%d/) ...\nCertificate SHA-256 fingerprint: %s\n", port, port, fp)
	if got := p.stdout.String(); got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	url := fmt.Sprintf("https://127.0.0.1:%d/hello.txt", port)
	resp, body, err := tlsGet(t, pinned(fp), url)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || body != "hello\n" {
		t.Errorf("GET /hello.txt = %d %q, want 200 %q", resp.StatusCode, body, "hello\n")
	}
	leaf := resp.TLS.PeerCertificates[0]
	if err := leaf.VerifyHostname("127.0.0.1"); err != nil {
		t.Errorf("the certificate does not name the bound address: %v", err)
	}
	if err := leaf.VerifyHostname("localhost"); err != nil {
		t.Errorf("the certificate does not name localhost: %v", err)
	}
	// Another certificate fails the pin, and one not pinned fails
	// ordinary verification.
	if _, _, err := tlsGet(t, pinned(strings.Repeat("00:", 31)+"00"), url); err == nil {
		t.Errorf("a client pinning another fingerprint connected")
	}
	if _, _, err := tlsGet(t, &tls.Config{}, url); err == nil {
		t.Errorf("a client trusting only the system roots connected")
	}
}

// TestE2ETLSPlainHTTP: plain HTTP sent to the HTTPS port gets a readable
// 400, not TLS bytes.
func TestE2ETLSPlainHTTP(t *testing.T) {
	p, port, _ := startSelfSigned(t)
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer as HTTP: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "HTTP request to an HTTPS server") {
		t.Errorf("answer %s %q, want 400 saying the server speaks HTTPS", resp.Status, body)
	}
	waitFor(t, 10*time.Second, "the log line", func() bool {
		return strings.Contains(p.stderr.String(), "code 400, message plain HTTP request sent to the TLS port")
	})
}

// TestE2ETLSVersions: TLS 1.2 and 1.3 are served, TLS 1.0 and 1.1 refused.
func TestE2ETLSVersions(t *testing.T) {
	_, port, fp := startSelfSigned(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	tests := []struct {
		name     string
		min, max uint16
		wantOK   bool
	}{
		{"TLS 1.0", tls.VersionTLS10, tls.VersionTLS10, false},
		{"TLS 1.1", tls.VersionTLS10, tls.VersionTLS11, false},
		{"TLS 1.2", tls.VersionTLS12, tls.VersionTLS12, true},
		{"TLS 1.3", tls.VersionTLS13, tls.VersionTLS13, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pinned(fp)
			cfg.MinVersion, cfg.MaxVersion = tt.min, tt.max
			cfg.NextProtos = []string{"h2", "http/1.1"}
			d := &net.Dialer{Timeout: 10 * time.Second}
			c, err := tls.DialWithDialer(d, "tcp", addr, cfg)
			if !tt.wantOK {
				if err == nil {
					c.Close()
					t.Fatalf("handshake succeeded with %s", tls.VersionName(c.ConnectionState().Version))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if st := c.ConnectionState(); st.Version != tt.max || st.NegotiatedProtocol != "http/1.1" {
				t.Errorf("negotiated %s, ALPN %q; want %s, http/1.1", tls.VersionName(st.Version), st.NegotiatedProtocol, tls.VersionName(tt.max))
			}
		})
	}
}

func TestE2ETLSErrors(t *testing.T) {
	p := newTestPKI(t)
	pkcs8 := p.encryptedKey(t, "pkcs8", "right")
	legacy := p.encryptedKey(t, "legacy", "right")
	wrong := writeFile(t, p.dir, "wrong.txt", []byte("wrong\n"))
	missing := filepath.Join(p.dir, "missing.pem")
	tests := []struct {
		name       string
		args       []string
		wantStderr string // the error line
	}{
		{"wrong password", []string{"--tls-cert", p.certFile, "--tls-key", pkcs8, "--tls-password-file", wrong},
			`httpserve: error: --tls-key "` + pkcs8 + `": wrong password in --tls-password-file "` + wrong + `"` + "\n"},
		{"legacy wrong password", []string{"--tls-cert", p.certFile, "--tls-key", legacy, "--tls-password-file", wrong},
			`httpserve: error: --tls-key "` + legacy + `": wrong password in --tls-password-file "` + wrong + `"` + "\n"},
		{"no password", []string{"--tls-cert", p.certFile, "--tls-key", pkcs8},
			`httpserve: error: --tls-key "` + pkcs8 + `": the private key is encrypted` + "\n"},
		{"missing cert", []string{"--tls-cert", missing},
			`httpserve: error: --tls-cert "` + missing + `": no such file or directory` + "\n"},
		{"key without cert", []string{"--tls-key", p.keyFile},
			"httpserve: error: --tls-key requires --tls-cert to be set\n"},
		{"self-signed and cert", []string{"--tls-self-signed", "--tls-cert", p.certFile},
			"httpserve: error: --tls-self-signed cannot be used with --tls-cert\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runBinary(t, append(tt.args, "-b", "127.0.0.1", "0")...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.HasPrefix(stderr, tt.wantStderr) || !strings.Contains(stderr, "\nhttpserve: hint: ") {
				t.Errorf("stderr = %q, want it to start with %q and give a hint", stderr, tt.wantStderr)
			}
		})
	}
}
