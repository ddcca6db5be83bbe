package main

// HTTPS: --tls-cert, --tls-key and --tls-password-file as in Python 3.14's
// http.server, and httpserve's --tls-self-signed.
//
// The listener is wrapped with crypto/tls; basehandler performs the
// handshake on each connection, answers a plain HTTP request sent to the
// TLS port with a readable 400, and gives handlers the connection state
// in Request.TLS. Only TLS 1.2 and 1.3 are offered (RFC 8996 deprecates
// TLS 1.0 and 1.1), and ALPN names only "http/1.1", as Python's
// HTTPSServer does.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"
)

// newTLSConfig is the server's TLS configuration for cert.
func newTLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
}

// loadCertificate reads --tls-cert, --tls-key and --tls-password-file as
// Python's load_cert_chain(certfile, keyfile, password) does: the
// certificate file holds the chain, leaf first; without keyFile the key is
// looked for in the certificate file too; the password is the password
// file's text with surrounding white space removed (Python strips it).
// Errors name the flag at fault.
func loadCertificate(certFile, keyFile, passwordFile string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, withHint(fmt.Errorf("--tls-cert %q: %w", certFile, unwrapPathError(err)),
			"--tls-cert takes a PEM file with the server's certificate, then any intermediate ones")
	}
	var chain [][]byte
	for rest := certPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			chain = append(chain, b.Bytes)
		}
	}
	if len(chain) == 0 {
		return tls.Certificate{}, withHint(fmt.Errorf("--tls-cert %q holds no certificate", certFile),
			`--tls-cert takes a PEM file starting with "-----BEGIN CERTIFICATE-----"`)
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--tls-cert %q: %w", certFile, err)
	}

	keyFlag, keyPEM := "--tls-key", certPEM
	if keyFile == "" {
		keyFlag, keyFile = "--tls-cert", certFile
	} else if keyPEM, err = os.ReadFile(keyFile); err != nil {
		return tls.Certificate{}, withHint(fmt.Errorf("--tls-key %q: %w", keyFile, unwrapPathError(err)),
			"--tls-key takes the PEM file of the certificate's private key")
	}
	var password []byte
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return tls.Certificate{}, withHint(fmt.Errorf("--tls-password-file %q: %w", passwordFile, unwrapPathError(err)),
				"--tls-password-file takes a file that holds the key's password")
		}
		password = []byte(strings.TrimSpace(string(b)))
	}

	key, err := parsePrivateKeyPEM(keyPEM, password, passwordFile != "")
	switch {
	case errors.Is(err, errNoKey) && keyFlag == "--tls-cert":
		return tls.Certificate{}, withHint(fmt.Errorf("--tls-cert %q holds no private key", certFile),
			"give the key's file with --tls-key")
	case errors.Is(err, errNoKey):
		return tls.Certificate{}, withHint(fmt.Errorf("--tls-key %q holds no private key", keyFile),
			`--tls-key takes a PEM file with a "PRIVATE KEY" block`)
	case errors.Is(err, errNeedPassword):
		return tls.Certificate{}, withHint(fmt.Errorf("%s %q: the private key is encrypted", keyFlag, keyFile),
			"give the file that holds its password with --tls-password-file")
	case errors.Is(err, errWrongPassword):
		return tls.Certificate{}, withHint(fmt.Errorf("%s %q: wrong password in --tls-password-file %q", keyFlag, keyFile, passwordFile),
			"the password file holds the key's passphrase; white space around it is ignored")
	case err != nil:
		return tls.Certificate{}, fmt.Errorf("%s %q: %w", keyFlag, keyFile, err)
	}

	// tls.X509KeyPair checks that the key belongs to the certificate.
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s %q: %w", keyFlag, keyFile, err)
	}
	var chainPEM []byte
	for _, der := range chain {
		chainPEM = append(chainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	cert, err := tls.X509KeyPair(chainPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		return tls.Certificate{}, withHint(fmt.Errorf("%s %q does not match the certificate in --tls-cert %q", keyFlag, keyFile, certFile),
			"give the private key that the certificate was made for")
	}
	cert.Leaf = leaf
	return cert, nil
}

// unwrapPathError drops the file name from err, which the message already
// gives, leaving "no such file or directory".
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// selfSigned makes the certificate of --tls-self-signed: a new ECDSA P-256
// key, kept only in memory, and a certificate for it valid from an hour ago
// (for clocks a little behind) for a year. It names the bound address,
// localhost, 127.0.0.1, ::1 and this machine's host name, and when the
// server listens on every interface, every address of this machine.
// bind is --bind as given (a host name there is named too), and host the
// bound address as the banner shows it.
func selfSigned(bind, host string, now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, err
	}
	dnsNames, ips := selfSignedNames(bind, host)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			Organization: []string{"httpserve self-signed"},
			CommonName:   dnsNames[0],
		},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              dnsNames,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// selfSignedNames returns the names and addresses a self-signed
// certificate is for; dnsNames[0] is its common name.
func selfSignedNames(bind, host string) (dnsNames []string, ips []net.IP) {
	addIP := func(a netip.Addr) {
		a = a.WithZone("").Unmap()
		if a.IsValid() && !a.IsUnspecified() && !slices.ContainsFunc(ips, func(ip net.IP) bool { return ip.Equal(a.AsSlice()) }) {
			ips = append(ips, a.AsSlice())
		}
	}
	addName := func(name string) {
		name = strings.TrimSuffix(strings.ToLower(name), ".")
		if name != "" && !slices.Contains(dnsNames, name) {
			dnsNames = append(dnsNames, name)
		}
	}

	addName("localhost")
	if _, err := netip.ParseAddr(strings.Trim(bind, "[]")); bind != "" && err != nil {
		addName(bind) // a host name given to --bind
	}
	if h, err := os.Hostname(); err == nil {
		addName(h)
	}
	bound, _ := netip.ParseAddr(host)
	addIP(bound)
	addIP(netip.AddrFrom4([4]byte{127, 0, 0, 1}))
	addIP(netip.IPv6Loopback())
	if bound.IsUnspecified() {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					if ip, ok := netip.AddrFromSlice(n.IP); ok {
						addIP(ip)
					}
				}
			}
		}
	}
	return dnsNames, ips
}

// fingerprint is the SHA-256 of a certificate's DER, as uppercase hex
// pairs joined by colons: the form browsers show and "openssl x509
// -fingerprint -sha256" prints.
func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}
