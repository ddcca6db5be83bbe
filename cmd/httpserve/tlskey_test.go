package main

// The keys in testdata/tls were made by OpenSSL 3.0 with the password in
// fixturePassword, so that the decryption is checked against OpenSSL's
// own output even where no openssl binary is installed:
//
//	P='pass:correct horse battery staple'
//	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem
//	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem
//	openssl pkcs8 -topk8 -in ec.pem -v2 aes-256-cbc -passout "$P" -out ec-pbes2-aes256-sha256.pem
//	openssl pkcs8 -topk8 -in ec.pem -v2 aes-128-cbc -v2prf hmacWithSHA1 -passout "$P" -out ec-pbes2-aes128-sha1.pem
//	openssl pkcs8 -topk8 -in ec.pem -v2 aes-192-cbc -v2prf hmacWithSHA512 -passout "$P" -out ec-pbes2-aes192-sha512.pem
//	openssl pkcs8 -topk8 -in ec.pem -v2 des3 -v2prf hmacWithSHA384 -passout "$P" -out ec-pbes2-des3-sha384.pem
//	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass "$P" -out ec-genpkey-aes256.pem
//	openssl ec -in ec.pem -aes256 -passout "$P" -out ec-legacy-aes256.pem
//	openssl rsa -in rsa.pem -traditional -des3 -passout "$P" -out rsa-legacy-des3.pem
//	openssl pkcs8 -topk8 -in rsa.pem -v2 aes-256-cbc -passout "$P" -out rsa-pbes2-aes256-sha256.pem
//	openssl pkcs8 -topk8 -in ec.pem -v1 PBE-SHA1-3DES -passout "$P" -out ec-pbes1.pem
//	openssl pkcs8 -topk8 -in ec.pem -scrypt -passout "$P" -out ec-scrypt.pem
//
// They are test keys and protect nothing.

import (
	"crypto"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixturePassword = "correct horse battery staple"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "tls", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePrivateKeyPEM(t *testing.T) {
	ecKey, err := parsePrivateKeyPEM(readFixture(t, "ec.pem"), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := parsePrivateKeyPEM(readFixture(t, "rsa.pem"), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	type equaler interface{ Equal(crypto.PrivateKey) bool }

	tests := []struct {
		file    string
		want    crypto.PrivateKey // nil: any key
		wantErr string            // with the right password
	}{
		{"ec.pem", ecKey, ""},
		{"ec-pbes2-aes256-sha256.pem", ecKey, ""},
		{"ec-pbes2-aes128-sha1.pem", ecKey, ""},
		{"ec-pbes2-aes192-sha512.pem", ecKey, ""},
		{"ec-pbes2-des3-sha384.pem", ecKey, ""},
		{"ec-genpkey-aes256.pem", nil, ""},
		{"ec-legacy-aes256.pem", ecKey, ""},
		{"rsa-legacy-des3.pem", rsaKey, ""},
		{"rsa-pbes2-aes256-sha256.pem", rsaKey, ""},
		{"ec-pbes1.pem", nil, "unsupported key encryption 1.2.840.113549.1.12.1.3"},
		{"ec-scrypt.pem", nil, "unsupported key derivation 1.3.6.1.4.1.11591.4.11"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, tt.file)
			encrypted := tt.file != "ec.pem"

			key, err := parsePrivateKeyPEM(data, []byte(fixturePassword), true)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatal(err)
			case tt.want != nil && !tt.want.(equaler).Equal(key):
				t.Fatalf("decrypted a different key")
			}
			if !encrypted {
				return
			}
			if _, err := parsePrivateKeyPEM(data, nil, false); !errors.Is(err, errNeedPassword) {
				t.Errorf("without a password: %v, want %v", err, errNeedPassword)
			}
			for _, wrong := range []string{"", "correct horse battery stapler", "Correct horse battery staple"} {
				if _, err := parsePrivateKeyPEM(data, []byte(wrong), true); !errors.Is(err, errWrongPassword) {
					t.Errorf("password %q: %v, want %v", wrong, err, errWrongPassword)
				}
			}
		})
	}
}

func TestParsePrivateKeyPEMNoKey(t *testing.T) {
	for _, data := range []string{"", "not PEM", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		if _, err := parsePrivateKeyPEM([]byte(data), nil, false); !errors.Is(err, errNoKey) {
			t.Errorf("parsePrivateKeyPEM(%q) = %v, want %v", data, err, errNoKey)
		}
	}
	// A key after other blocks is found.
	data := append([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), readFixture(t, "ec.pem")...)
	if _, err := parsePrivateKeyPEM(data, nil, false); err != nil {
		t.Errorf("key after a certificate: %v", err)
	}
}

// TestDecryptPKCS8Encoder checks decryptPKCS8 against encryptPKCS8, the
// test's own PBES2 encoder, for every PRF and cipher it supports, and
// with an empty password, which OpenSSL accepts.
func TestDecryptPKCS8Encoder(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for prf := range pbkdf2PRFs {
		for cipherOID, c := range pbes2Ciphers {
			for _, password := range []string{"secret", ""} {
				enc := encryptPKCS8(t, der, password, prf, cipherOID, c)
				got, err := parsePrivateKeyPEM(enc, []byte(password), true)
				if err != nil {
					t.Fatalf("prf %d, cipher %s, password %q: %v", prf, cipherOID, password, err)
				}
				if !key.Equal(got) {
					t.Fatalf("prf %d, cipher %s: decrypted a different key", prf, cipherOID)
				}
			}
		}
	}
}

// encryptPKCS8 encrypts a PKCS#8 key with PBES2 (RFC 8018 section 6.2.1),
// PBKDF2 with the PRF hmacWithSHA* of the given last OID arc, and the
// cipher of pbes2Ciphers named by cipherOID, and returns it as PEM.
func encryptPKCS8(t testing.TB, der []byte, password string, prf int, cipherOID string, c pbes2Cipher) []byte {
	t.Helper()
	salt := make([]byte, 16)
	rand.Read(salt)
	const iterations = 1000
	key, err := pbkdf2.Key(pbkdf2PRFs[prf], password, salt, iterations, c.keyLen)
	if err != nil {
		t.Fatal(err)
	}
	block, err := c.newBlock(key)
	if err != nil {
		t.Fatal(err)
	}
	bs := block.BlockSize()
	iv := make([]byte, bs)
	rand.Read(iv)
	n := bs - len(der)%bs
	plain := append(append([]byte(nil), der...), []byte(strings.Repeat(string(rune(n)), n))...)
	encrypted := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(encrypted, plain)

	mustMarshal := func(v any) []byte {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var cipherID asn1.ObjectIdentifier
	for _, s := range strings.Split(cipherOID, ".") {
		var arc int
		for _, d := range s {
			arc = arc*10 + int(d-'0')
		}
		cipherID = append(cipherID, arc)
	}
	params := pbes2Params{
		KeyDerivationFunc: pkix.AlgorithmIdentifier{
			Algorithm: oidPBKDF2,
			Parameters: asn1.RawValue{FullBytes: mustMarshal(pbkdf2Params{
				Salt:           salt,
				IterationCount: iterations,
				PRF:            pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 2, prf}, Parameters: asn1.NullRawValue},
			})},
		},
		EncryptionScheme: pkix.AlgorithmIdentifier{
			Algorithm:  cipherID,
			Parameters: asn1.RawValue{FullBytes: mustMarshal(iv)},
		},
	}
	info := encryptedPrivateKeyInfo{
		Algorithm:     pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: asn1.RawValue{FullBytes: mustMarshal(params)}},
		EncryptedData: encrypted,
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: mustMarshal(info)})
}

// TestUnpad checks the padding rule on its own: every wrong pad is a
// wrong password, never a panic.
func TestUnpad(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" with ok false: errWrongPassword
		ok   bool
	}{
		{"abcdefg\x01", "abcdefg", true},
		{"abcdef\x02\x02", "abcdef", true},
		{strings.Repeat("\x08", 8), "", true},
		{"abcdefg\x00", "", false},
		{"abcdefg\x09", "", false},
		{"abcdef\x01\x02", "", false},
		{"\x10", "", false},
	}
	for _, tt := range tests {
		got, err := unpad([]byte(tt.in), 8)
		if tt.ok && (err != nil || string(got) != tt.want) {
			t.Errorf("unpad(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if !tt.ok && !errors.Is(err, errWrongPassword) {
			t.Errorf("unpad(%q) = %q, %v; want %v", tt.in, got, err, errWrongPassword)
		}
	}
}

// FuzzParsePrivateKeyPEM: whatever the bytes, reading a key returns a key
// or an error, and never panics.
func FuzzParsePrivateKeyPEM(f *testing.F) {
	for _, name := range []string{"ec.pem", "ec-pbes2-aes256-sha256.pem", "ec-pbes2-des3-sha384.pem", "ec-legacy-aes256.pem", "ec-scrypt.pem"} {
		f.Add(readFixture(f, name), fixturePassword)
	}
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		// Keep the KDF cheap: a huge iteration count is slow, not wrong.
		if b, _ := pem.Decode(data); b != nil && b.Type == "ENCRYPTED PRIVATE KEY" && iterationCount(b.Bytes) > 1<<16 {
			t.Skip()
		}
		key, err := parsePrivateKeyPEM(data, []byte(password), true)
		if err == nil && key == nil {
			t.Fatal("no key and no error")
		}
	})
}

// iterationCount is the PBKDF2 iteration count of an encrypted key, or 0.
func iterationCount(der []byte) int {
	var info encryptedPrivateKeyInfo
	var params pbes2Params
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return 0
	}
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return 0
	}
	if _, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		return 0
	}
	return kdf.IterationCount
}

func TestFingerprint(t *testing.T) {
	der := []byte("not really a certificate")
	sum := sha256.Sum256(der)
	got := fingerprint(der)
	if len(got) != 32*3-1 || strings.ToUpper(got) != got {
		t.Fatalf("fingerprint = %q, want 32 uppercase hex pairs joined by colons", got)
	}
	for i, pair := range strings.Split(got, ":") {
		if want := strings.ToUpper(hexByte(sum[i])); pair != want {
			t.Fatalf("fingerprint pair %d = %q, want %q", i, pair, want)
		}
	}
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}
