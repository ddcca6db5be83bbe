package main

// This file reads private keys from PEM files, including the two kinds of
// password-protected key that Python's ssl.SSLContext.load_cert_chain
// (OpenSSL's PEM reader) accepts with a password:
//
//   - PKCS#8 "ENCRYPTED PRIVATE KEY" (RFC 5958 section 3), encrypted with
//     PBES2 (RFC 8018 section 6.2): a PBKDF2 key derivation, then AES or
//     triple DES in CBC mode. This is what "openssl genpkey -aes256",
//     "openssl pkcs8 -topk8" and OpenSSL 3's "openssl req -newkey" write.
//   - The legacy OpenSSL format: "RSA PRIVATE KEY" or "EC PRIVATE KEY"
//     with "Proc-Type: 4,ENCRYPTED" and "DEK-Info" headers, written by
//     "openssl rsa -traditional -aes256" and older OpenSSL versions.
//
// The standard library decrypts neither PBES2 (Go has PBKDF2 since 1.24,
// but no PKCS#8 decryption), nor, except through a deprecated function,
// the legacy format. PBES1, PKCS#12-style algorithms and scrypt are not
// supported: OpenSSL has not written them by default for years.

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
)

// Why a key could not be read; loadCertificate turns these into messages
// that name the flags at fault.
var (
	errNoKey         = errors.New("no private key found")
	errNeedPassword  = errors.New("the private key is encrypted")
	errWrongPassword = errors.New("wrong password")
)

// parsePrivateKeyPEM returns the first private key in the PEM data,
// decrypting it with password if it is encrypted. hasPassword tells an
// empty password from none: OpenSSL accepts an empty one.
func parsePrivateKeyPEM(data []byte, password []byte, hasPassword bool) (crypto.PrivateKey, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errNoKey
		}
		switch b.Type {
		case "ENCRYPTED PRIVATE KEY":
			if !hasPassword {
				return nil, errNeedPassword
			}
			der, err := decryptPKCS8(b.Bytes, password)
			if err != nil {
				return nil, err
			}
			key, err := x509.ParsePKCS8PrivateKey(der)
			if err != nil {
				// The padding was right by chance (1 in 256): the
				// plaintext is noise, so the password was wrong.
				return nil, errWrongPassword
			}
			return key, nil
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			//lint:ignore SA1019 the legacy format is insecure, but Python reads it, so httpserve must
			if !x509.IsEncryptedPEMBlock(b) {
				return parsePrivateKeyDER(b.Type, b.Bytes)
			}
			if !hasPassword {
				return nil, errNeedPassword
			}
			//lint:ignore SA1019 as above: decrypting is the only way to read these keys
			der, err := x509.DecryptPEMBlock(b, password)
			if errors.Is(err, x509.IncorrectPasswordError) {
				return nil, errWrongPassword
			}
			if err != nil {
				return nil, err
			}
			key, err := parsePrivateKeyDER(b.Type, der)
			if err != nil {
				return nil, errWrongPassword // as above: padding right by chance
			}
			return key, nil
		}
	}
}

// parsePrivateKeyDER parses an unencrypted key of the given PEM type.
func parsePrivateKeyDER(typ string, der []byte) (crypto.PrivateKey, error) {
	switch typ {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(der)
	}
	return x509.ParsePKCS8PrivateKey(der)
}

// ASN.1 structures of RFC 5958 and RFC 8018.
type (
	// encryptedPrivateKeyInfo is EncryptedPrivateKeyInfo (RFC 5958
	// section 3).
	encryptedPrivateKeyInfo struct {
		Algorithm     pkix.AlgorithmIdentifier
		EncryptedData []byte
	}
	// pbes2Params is PBES2-params (RFC 8018 appendix A.4).
	pbes2Params struct {
		KeyDerivationFunc pkix.AlgorithmIdentifier
		EncryptionScheme  pkix.AlgorithmIdentifier
	}
	// pbkdf2Params is PBKDF2-params (RFC 8018 appendix A.2). The salt is
	// a CHOICE whose "otherSource" alternative nobody uses; asn1 fails
	// on it, and the key is reported as unsupported.
	pbkdf2Params struct {
		Salt           []byte
		IterationCount int
		KeyLength      int                      `asn1:"optional"`
		PRF            pkix.AlgorithmIdentifier `asn1:"optional"` // DEFAULT hmacWithSHA1
	}
)

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
)

// pbkdf2PRFs are the pseudorandom functions of PBKDF2 (RFC 8018 appendix
// B.1), by the last arc of their OID 1.2.840.113549.2.x.
var pbkdf2PRFs = map[int]func() hash.Hash{
	7:  sha1.New, // hmacWithSHA1, the default
	8:  sha256.New224,
	9:  sha256.New,
	10: sha512.New384,
	11: sha512.New,
	12: sha512.New512_224,
	13: sha512.New512_256,
}

// pbes2Cipher is an encryption scheme of PBES2 (RFC 8018 appendix B.2).
type pbes2Cipher struct {
	keyLen   int
	newBlock func(key []byte) (cipher.Block, error)
}

var pbes2Ciphers = map[string]pbes2Cipher{
	"2.16.840.1.101.3.4.1.2":  {16, aes.NewCipher},          // aes128-CBC-Pad
	"2.16.840.1.101.3.4.1.22": {24, aes.NewCipher},          // aes192-CBC-Pad
	"2.16.840.1.101.3.4.1.42": {32, aes.NewCipher},          // aes256-CBC-Pad
	"1.2.840.113549.3.7":      {24, des.NewTripleDESCipher}, // des-ede3-cbc
}

// decryptPKCS8 decrypts the DER of an EncryptedPrivateKeyInfo and returns
// the DER of the PrivateKeyInfo inside (RFC 8018 section 6.2.2).
func decryptPKCS8(der, password []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, errors.New("malformed encrypted private key")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("unsupported key encryption %v (only PBES2 is supported; convert the key with openssl pkcs8 -topk8 -v2 aes-256-cbc)", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, errors.New("malformed PBES2 parameters")
	}
	if !params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("unsupported key derivation %v (only PBKDF2 is supported)", params.KeyDerivationFunc.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		return nil, errors.New("malformed or unsupported PBKDF2 parameters")
	}
	prf := sha1.New
	if p := kdf.PRF.Algorithm; len(p) > 0 {
		var ok bool
		if prf, ok = pbkdf2PRFs[p[len(p)-1]]; !ok || !p[:len(p)-1].Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2}) {
			return nil, fmt.Errorf("unsupported PBKDF2 function %v", p)
		}
	}
	c, ok := pbes2Ciphers[params.EncryptionScheme.Algorithm.String()]
	if !ok {
		return nil, fmt.Errorf("unsupported key cipher %v (AES-CBC and DES-EDE3-CBC are supported)", params.EncryptionScheme.Algorithm)
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != c.keyLen {
		return nil, errors.New("malformed PBES2 parameters: wrong key length")
	}
	if kdf.IterationCount < 1 {
		return nil, errors.New("malformed PBKDF2 parameters: no iterations")
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil {
		return nil, errors.New("malformed cipher parameters")
	}
	key, err := pbkdf2.Key(prf, string(password), kdf.Salt, kdf.IterationCount, c.keyLen)
	if err != nil {
		return nil, err
	}
	block, err := c.newBlock(key)
	if err != nil {
		return nil, err
	}
	data := info.EncryptedData
	bs := block.BlockSize()
	if len(iv) != bs || len(data) == 0 || len(data)%bs != 0 {
		return nil, errors.New("malformed encrypted private key")
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, data)
	return unpad(plain, bs)
}

// unpad removes the padding of RFC 8018 section 6.1.1 step 4 (PKCS#7).
// Bad padding means a wrong password: the key decrypted to noise.
func unpad(b []byte, blockSize int) ([]byte, error) {
	n := int(b[len(b)-1])
	if n == 0 || n > blockSize || n > len(b) {
		return nil, errWrongPassword
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, errWrongPassword
		}
	}
	return b[:len(b)-n], nil
}
