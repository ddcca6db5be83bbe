package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// testPKI is a certificate authority and a server certificate it signed,
// for localhost, 127.0.0.1 and ::1, written to PEM files in dir.
type testPKI struct {
	dir      string
	roots    *x509.CertPool // the CA, for clients
	certFile string         // the server certificate, then the CA's
	keyFile  string         // the server key, PKCS#8, unencrypted
	key      *ecdsa.PrivateKey
	leaf     *x509.Certificate
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	dir := t.TempDir()
	now := time.Now()
	caKey := mustECKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "httpserve test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key := mustECKey(t)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		t.Fatal(err)
	}
	p := &testPKI{dir: dir, roots: x509.NewCertPool(), key: key, leaf: leaf}
	p.roots.AddCert(ca)
	p.certFile = writeFile(t, dir, "cert.pem", append(
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})...))
	p.keyFile = writeFile(t, dir, "key.pem", pemPKCS8(t, key))
	return p
}

func mustECKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemPKCS8(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// encryptedKey writes the server key encrypted with password and returns
// the file's name. kind is "pkcs8" (PBES2, AES-256-CBC, hmacWithSHA256)
// or "legacy" (Proc-Type: 4,ENCRYPTED, AES-256-CBC). OpenSSL encrypts it
// when it is installed, as users' keys are encrypted; otherwise the test's
// own encoders do.
func (p *testPKI) encryptedKey(t *testing.T, kind, password string) string {
	t.Helper()
	out := filepath.Join(p.dir, "key-"+kind+".pem")
	if openssl, err := exec.LookPath("openssl"); err == nil {
		pw := writeFile(t, p.dir, "openssl-password", []byte(password))
		args := []string{"pkcs8", "-topk8", "-v2", "aes-256-cbc"}
		if kind == "legacy" {
			args = []string{"ec", "-aes256"}
		}
		args = append(args, "-in", p.keyFile, "-out", out, "-passout", "file:"+pw)
		if b, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, b)
		}
		return out
	}
	var data []byte
	switch kind {
	case "pkcs8":
		der, err := x509.MarshalPKCS8PrivateKey(p.key)
		if err != nil {
			t.Fatal(err)
		}
		data = encryptPKCS8(t, der, password, 9, "2.16.840.1.101.3.4.1.42", pbes2Ciphers["2.16.840.1.101.3.4.1.42"])
	case "legacy":
		der, err := x509.MarshalECPrivateKey(p.key)
		if err != nil {
			t.Fatal(err)
		}
		//lint:ignore SA1019 the test makes the insecure legacy format on purpose
		b, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", der, []byte(password), x509.PEMCipherAES256)
		if err != nil {
			t.Fatal(err)
		}
		data = pem.EncodeToMemory(b)
	}
	return writeFile(t, p.dir, filepath.Base(out), data)
}

func TestLoadCertificate(t *testing.T) {
	p := newTestPKI(t)
	const password = "s3cret pass"
	pkcs8 := p.encryptedKey(t, "pkcs8", password)
	legacy := p.encryptedKey(t, "legacy", password)
	pwFile := writeFile(t, p.dir, "password.txt", []byte("  "+password+" \n"))
	wrongPW := writeFile(t, p.dir, "wrong.txt", []byte("not it\n"))
	certPEM, _ := os.ReadFile(p.certFile)
	keyPEM, _ := os.ReadFile(p.keyFile)
	combined := writeFile(t, p.dir, "combined.pem", append(append([]byte(nil), keyPEM...), certPEM...))
	otherKey := writeFile(t, p.dir, "other-key.pem", pemPKCS8(t, mustECKey(t)))
	missing := filepath.Join(p.dir, "missing.pem")

	tests := []struct {
		name                string
		cert, key, password string
		wantErr             string // "" means success
	}{
		{"cert and key", p.certFile, p.keyFile, "", ""},
		{"key in the cert file", combined, "", "", ""},
		{"PKCS#8 encrypted", p.certFile, pkcs8, pwFile, ""},
		{"legacy encrypted", p.certFile, legacy, pwFile, ""},
		{"password for a plain key", p.certFile, p.keyFile, pwFile, ""}, // ignored, as by Python
		{"encrypted without password", p.certFile, pkcs8, "", `--tls-key "` + pkcs8 + `": the private key is encrypted`},
		{"legacy without password", p.certFile, legacy, "", `--tls-key "` + legacy + `": the private key is encrypted`},
		{"wrong password", p.certFile, pkcs8, wrongPW, `--tls-key "` + pkcs8 + `": wrong password in --tls-password-file "` + wrongPW + `"`},
		{"legacy wrong password", p.certFile, legacy, wrongPW, `--tls-key "` + legacy + `": wrong password in --tls-password-file "` + wrongPW + `"`},
		{"missing cert", missing, p.keyFile, "", `--tls-cert "` + missing + `": no such file or directory`},
		{"missing key", p.certFile, missing, "", `--tls-key "` + missing + `": no such file or directory`},
		{"missing password file", p.certFile, pkcs8, missing, `--tls-password-file "` + missing + `": no such file or directory`},
		{"cert file without a certificate", p.keyFile, p.keyFile, "", `--tls-cert "` + p.keyFile + `" holds no certificate`},
		{"cert file without a key", p.certFile, "", "", `--tls-cert "` + p.certFile + `" holds no private key`},
		{"key file without a key", p.certFile, p.certFile, "", `--tls-key "` + p.certFile + `" holds no private key`},
		{"key of another certificate", p.certFile, otherKey, "", `--tls-key "` + otherKey + `" does not match the certificate in --tls-cert "` + p.certFile + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := loadCertificate(tt.cert, tt.key, tt.password)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cert.Certificate) != 2 {
				t.Errorf("chain of %d certificates, want 2 (server and CA)", len(cert.Certificate))
			}
			if !cert.Leaf.Equal(p.leaf) {
				t.Errorf("Leaf is not the server certificate")
			}
			if k, ok := cert.PrivateKey.(*ecdsa.PrivateKey); !ok || !k.Equal(p.key) {
				t.Errorf("PrivateKey is not the server key")
			}
		})
	}
}

func TestSelfSigned(t *testing.T) {
	hostname, _ := os.Hostname()
	var ifaceIPs, otherIPs []string // this machine's addresses; those but loopback
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				ifaceIPs = append(ifaceIPs, n.IP.String())
				if !n.IP.IsLoopback() {
					otherIPs = append(otherIPs, n.IP.String())
				}
			}
		}
	}
	tests := []struct {
		name, bind, host string
		wantNames        []string
		wantIPs          []string
		wantNoIPs        []string
	}{
		{"all interfaces", "", "0.0.0.0", []string{"localhost", strings.ToLower(hostname)}, append([]string{"127.0.0.1", "::1"}, ifaceIPs...), []string{"0.0.0.0", "::"}},
		{"IPv6 any", "::", "::", []string{"localhost"}, append([]string{"127.0.0.1", "::1"}, ifaceIPs...), []string{"::"}},
		{"loopback", "127.0.0.1", "127.0.0.1", []string{"localhost"}, []string{"127.0.0.1", "::1"}, otherIPs},
		{"an address", "192.0.2.7", "192.0.2.7", []string{"localhost"}, []string{"192.0.2.7", "127.0.0.1", "::1"}, nil},
		{"a host name", "WWW.Example.", "192.0.2.7", []string{"localhost", "www.example"}, []string{"192.0.2.7"}, nil},
		{"zone", "fe80::1%eth0", "fe80::1%eth0", []string{"localhost"}, []string{"fe80::1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Now()
			cert, err := selfSigned(tt.bind, tt.host, now)
			if err != nil {
				t.Fatal(err)
			}
			leaf := cert.Leaf
			for _, n := range tt.wantNames {
				if n != "" && !slices.Contains(leaf.DNSNames, n) {
					t.Errorf("DNSNames %q lack %q", leaf.DNSNames, n)
				}
			}
			var ips []string
			for _, ip := range leaf.IPAddresses {
				ips = append(ips, ip.String())
			}
			for _, ip := range tt.wantIPs {
				if !slices.Contains(ips, ip) {
					t.Errorf("IPAddresses %q lack %s", ips, ip)
				}
			}
			for _, ip := range tt.wantNoIPs {
				if slices.Contains(ips, ip) {
					t.Errorf("IPAddresses %q hold %s", ips, ip)
				}
			}
			if leaf.Subject.CommonName != "localhost" {
				t.Errorf("CommonName %q, want localhost", leaf.Subject.CommonName)
			}
			if !leaf.NotBefore.Before(now.Add(-59*time.Minute)) || leaf.NotAfter.Before(now.AddDate(1, 0, -1)) {
				t.Errorf("valid %v to %v, want from an hour ago for a year", leaf.NotBefore, leaf.NotAfter)
			}
			if k, ok := cert.PrivateKey.(*ecdsa.PrivateKey); !ok || k.Curve != elliptic.P256() {
				t.Errorf("key %T, want ECDSA P-256", cert.PrivateKey)
			}
			// A client that trusts the certificate accepts it for
			// localhost and 127.0.0.1.
			roots := x509.NewCertPool()
			roots.AddCert(leaf)
			for _, name := range []string{"localhost", "127.0.0.1"} {
				if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: name}); err != nil {
					t.Errorf("verify for %s: %v", name, err)
				}
			}
		})
	}
}

// TestRunExpiredCertificate: an expired certificate is served, as Python
// serves it, with a warning.
func TestRunExpiredCertificate(t *testing.T) {
	dir := t.TempDir()
	key := mustECKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2021, 1, 2, 0, 0, 0, 0, time.UTC),
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certFile := writeFile(t, dir, "cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	keyFile := writeFile(t, dir, "key.pem", pemPKCS8(t, key))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"--tls-cert", certFile, "--tls-key", keyFile, "-b", "127.0.0.1", "-d", dir, "0"}, &stdout, &stderr)
	}()
	waitFor(t, 10*time.Second, "the banner", func() bool {
		_, _, ok := parseBanner(stdout.String())
		return ok
	})
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit status %d, want 0; stderr:\n%s", c, stderr.String())
	}
	want := `httpserve: warning: the certificate in --tls-cert "` + certFile + `" expired on 2021-01-02` + "\n"
	if !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to start with %q", stderr.String(), want)
	}
	if !strings.HasPrefix(stdout.String(), "Serving HTTPS on 127.0.0.1 port ") {
		t.Errorf("stdout = %q, want the HTTPS banner", stdout.String())
	}
}
