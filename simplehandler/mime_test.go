package simplehandler

import (
	"archive/zip"
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// mimePython runs a Python 3 snippet with input on stdin and returns its
// output lines. The tests compare against Python itself, so a missing
// python3 is a failure, not a skip.
func mimePython(t testing.TB, script, input string) []string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to compare with Python's http.server: %v", err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.Bytes())
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

// mimePythonKeys are the keys of Python's own tables, unfiltered, so the
// differential test also covers the entries gen_mime.py leaves out.
const mimePythonKeys = `
import http.server, mimetypes
mimetypes.init()
for table in (mimetypes.types_map, mimetypes.suffix_map, mimetypes.encodings_map,
              http.server.SimpleHTTPRequestHandler.extensions_map):
    for key in table:
        print(key.encode("utf-8").hex())
`

// mimePythonGuess prints SimpleHTTPRequestHandler.guess_type for each
// hex-encoded path on stdin, called on a stand-in object as on a handler:
// guess_type only reads self.extensions_map. Invalid UTF-8 reaches Python as
// surrogate escapes, as in a file name from os.listdir.
const mimePythonGuess = `
import http.server, sys
class Self:
    extensions_map = http.server.SimpleHTTPRequestHandler.extensions_map
guess = http.server.SimpleHTTPRequestHandler.guess_type
for line in sys.stdin:
    path = bytes.fromhex(line.strip()).decode("utf-8", "surrogateescape")
    print(guess(Self(), path))
`

// mimeScheme is urllib.parse._splittype's pattern. mimetypes.guess_type
// would read a path that matches as a URL; the server's paths are absolute
// and never do, so such names are compared as Python's server sees them,
// below a directory.
var mimeScheme = regexp.MustCompile(`^[^/:]+:`)

// mimeTestNames returns several thousand names covering every key of
// Python's tables in several spellings, and hostile names.
func mimeTestNames(t *testing.T) []string {
	var keys []string
	for _, h := range mimePython(t, mimePythonKeys, "") {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, string(b))
	}
	if len(keys) < 1000 {
		t.Fatalf("Python's tables have only %d keys; is /etc/mime.types missing?", len(keys))
	}
	names := []string{
		"", ".", "..", "...", "a.", "a..", "a...", ".a.", "/", "/.", "a/", "a.b/", "a.txt/",
		".bashrc", "..bashrc", ".bashrc.txt", "..a.txt", ".txt", "..txt", "...txt",
		"a/.txt", "a.b/.txt", "a.txt/b", "a.b/c", "/srv/a.b/c", "dir.html/README",
		"a.txt", "a.TXT", "a.Txt", "a.tXt", "A.TXT", "a.txt ", " .txt", "a .txt", "a.tx t",
		"a.html", "a.HTML", "a.htm", "a.xhtml", "a.svg", "a.js", "a.mjs", "a.css", "a.json",
		"x.tar.br", "x.svgz", "x.SVGZ", "x.Svgz", "x.svg.gz", "x.svg.br", "x.html.br", "x.html.BR",
		"a.b.GZ", "a.b.Gz", "a.gz", "a.GZ", "a.Z", "a.z", "a.tar.Z", "a.tar.z", "a.tar.Bz2",
		"a.tgz", "a.TGZ", "a.tgz.gz", "a.tar.gz.br", "a.br", "a.BR", ".br", "x.br.br", "a.tbz2",
		"a.txz", "a.taz", "a.tz", "a.TZ", "a.Z.Z", "a.pcf.Z", "a.pcf", "a.teiCorpus", "a.TEICORPUS",
		"a.sarif.json", "a.tm.json", "a.1905.1", "a.~", "a.%", "a.bak", "a.BAK", "a.bin", "a.exe",
		// Unicode: KELVIN SIGN lowers to "k"; "İ" lowers to "i̇" in Python.
		"a.\u212amz", "a.\u212AML", "a.\u0130co", "a.İCO", "a.ico", "a.ıco",
		"résumé.PDF", "日本語.txt", "файл.HTML", "ФАЙЛ.ХТМЛ", "a.ß", "a.ﬀ", "a.tẊt", "a.txt\u200b",
		"ǅ.txt", "a.Ǆ", "\u00a0.txt", "a.\u00a0", "😀.png", "a.😀",
		// Invalid UTF-8 and control bytes.
		"a.\xff", "a.t\xffxt", "\xff.txt", "a.txt\xff", "a\x00.txt", "a.txt\x00", "a.tx\x00t",
		"a\n.txt", "a.txt\n", "a\\b.txt", "a\\.txt", "a.txt\\",
		// Names with URL and shell punctuation, and schemes.
		"a b.txt", "a%20b.txt", "a%2etxt", "a?.txt", "a.txt?x=1", "a#.txt", "a.txt#x",
		"with:in-name.txt", "http:x.txt", "a:.txt", "a:b.tgz", "data:text/html,x", "data:,x.txt",
		"DATA:text/html;base64,eA==", "data:image/svg+xml,x.txt", "file:///etc/x.html",
		strings.Repeat("a", 1000) + ".txt", "a." + strings.Repeat("x", 100),
		"a." + strings.Repeat("X", mimeMaxKeyLen), "a.sarif-external-properties",
		"a.SARIF-EXTERNAL-PROPERTIES", "a.sarif-external-propertiesx", strings.Repeat(".", 50) + "a.txt",
	}
	variants := []func(string) string{
		func(k string) string { return "a" + k },
		func(k string) string { return "A" + strings.ToUpper(k) },
		func(k string) string { return "dir.x/b" + mimeTitle(k) },
		func(k string) string { return "a" + k + ".br" },
		func(k string) string { return "a" + k + ".gz" },
		func(k string) string { return "a" + k + ".xz.br" },
		func(k string) string { return "/srv" + k }, // a dot-file
		func(k string) string { return "a" + k + "." },
	}
	for _, k := range keys {
		for _, v := range variants {
			names = append(names, v(k))
		}
	}
	// Every suffix_map entry with every encoding, in several cases.
	for s := range mimeSuffixes {
		for _, e := range []string{"", ".gz", ".Z", ".bz2", ".xz", ".br", ".GZ", ".BR", ".Br", ".z", ".txt"} {
			names = append(names, "x"+s+e, "x"+strings.ToUpper(s)+e, "x"+mimeTitle(s)+e, s+e)
		}
	}
	return names
}

// mimeTitle upper-cases the first letter after the dot: ".html" → ".Html".
func mimeTitle(k string) string {
	if len(k) > 1 {
		return k[:1] + strings.ToUpper(k[1:2]) + k[2:]
	}
	return k
}

func TestGuessTypeMatchesPython(t *testing.T) {
	names := mimeTestNames(t)
	var in strings.Builder
	for _, name := range names {
		p := name
		if mimeScheme.MatchString(p) {
			p = "/srv/" + p
		}
		in.WriteString(hex.EncodeToString([]byte(p)))
		in.WriteByte('\n')
	}
	want := mimePython(t, mimePythonGuess, in.String())
	if len(want) != len(names) {
		t.Fatalf("python3 answered %d names, want %d", len(want), len(names))
	}
	known := 0
	for i, name := range names {
		got, ok := GuessType(name)
		if got != want[i] {
			t.Errorf("GuessType(%q) = %q, Python says %q", name, got, want[i])
		}
		if ok {
			known++
		}
	}
	t.Logf("%d names, %d with a known type", len(names), known)
}

func TestGuessType(t *testing.T) {
	tests := []struct {
		name, file string
		want       string
		wantOK     bool
	}{
		{"html", "index.html", "text/html", true},
		{"upper case", "a.TXT", "text/plain", true},
		{"path", "/srv/www/a.b/c.css", "text/css", true},
		{"dot-file", ".bashrc", "application/octet-stream", false},
		{"dot-file with extension", ".bashrc.txt", "text/plain", true},
		{"leading dots only", "..txt", "application/octet-stream", false},
		{"trailing dot", "a.", "application/octet-stream", false},
		{"no extension", "Makefile", "application/octet-stream", false},
		{"directory with dot", "a.txt/b", "application/octet-stream", false},
		{"server gzip", "a.html.gz", "application/gzip", true},
		{"server gzip upper", "a.b.GZ", "application/gzip", true},
		{"server compress", "a.Z", "application/octet-stream", true},
		{"compress lower", "a.z", "application/octet-stream", false},
		{"brotli stripped", "x.tar.br", "application/x-tar", true},
		{"brotli case-sensitive", "x.tar.BR", "application/octet-stream", false},
		{"svgz", "x.svgz", "image/svg+xml", true},
		{"tgz", "x.TGZ", "application/x-tar", true},
		{"explicit octet-stream", "a.bin", "application/octet-stream", true},
		{"kelvin sign", "a.\u212aml", "application/vnd.google-earth.kml+xml", true},
		{"dotted İ", "a.\u0130co", "application/octet-stream", false},
		{"invalid UTF-8", "a.\xfftxt", "application/octet-stream", false},
		{"no URL parsing", "data:text/html,x", "application/octet-stream", false},
		{"unreachable key", "a.teiCorpus", "application/octet-stream", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := GuessType(tt.file)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("GuessType(%q) = %q, %v; want %q, %v", tt.file, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestMimeTableUpToDate regenerates mimetable.go and requires it to match,
// so a change of Python or of /etc/mime.types shows up as a failing test.
// Run `go generate ./simplehandler` to update it.
func TestMimeTableUpToDate(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to check mimetable.go: %v", err)
	}
	out := filepath.Join(t.TempDir(), "mimetable.go")
	cmd := exec.Command(py, "gen_mime.py", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen_mime.py: %v\n%s", err, b)
	}
	got, err := os.ReadFile("mimetable.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("mimetable.go is stale (run go generate); line %d:\n have %q\n want %q", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("mimetable.go is stale (run go generate): %d lines, want %d", len(gl), len(wl))
	}
}

func mimeZip(t testing.TB, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, name := range names {
		f, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("<x/>"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSniffType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	garbage := make([]byte, 512)
	for i := range garbage {
		garbage[i] = byte(i*7919>>3) ^ byte(i)
	}
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"empty", nil, "application/octet-stream"},
		{"png", png, "image/png"},
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "application/pdf"},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"), "application/gzip"},
		{"zip", mimeZip(t, "a.txt"), "application/zip"},
		{"binary garbage", garbage, "application/octet-stream"},
		{"nul bytes", make([]byte, 100), "application/octet-stream"},
		{"plain text", []byte("hello, world\n"), "text/plain; charset=utf-8"},
		{"utf-8 text", []byte("héllo wörld ✓\n"), "text/plain; charset=utf-8"},
		{"latin-1 text", []byte("caf\xe9 cr\xe8me\n"), "text/plain; charset=utf-8"},
		{"utf-16 with BOM", []byte("\xff\xfeh\x00i\x00\n\x00"), "text/plain; charset=utf-8"},
		{"long text", []byte(strings.Repeat("lorem ipsum ", 1000)), "text/plain; charset=utf-8"},
		{"json", []byte(`{"a": [1, 2, "x"]}`), "application/json; charset=utf-8"},
		{"csv", []byte("a,b,c\n1,2,3\n4,5,6\n"), "text/csv; charset=utf-8"},
		{"python", []byte("#!/usr/bin/env python3\nprint('hi')\n"), "text/x-python; charset=utf-8"},
		{"shell", []byte("#!/bin/sh\necho hi\n"), "text/x-shellscript; charset=utf-8"},
		// Demoted: documents and scripts a browser would run.
		{"html", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "text/plain; charset=utf-8"},
		{"html fragment", []byte("<script>alert(document.domain)</script>"), "text/plain; charset=utf-8"},
		{"html latin-1 meta", []byte(`<html><head><meta charset="iso-8859-1"></head></html>`), "text/plain; charset=utf-8"},
		{"html utf-7 meta", []byte(`<html><head><meta charset="utf-7"></head>+ADw-script+AD4-</html>`), "text/plain; charset=utf-8"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "text/plain; charset=utf-8"},
		{"svg with xml declaration", []byte("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "text/plain; charset=utf-8"},
		{"xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><root/>`), "text/plain; charset=utf-8"},
		{"xhtml", []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>`), "text/plain; charset=utf-8"},
		{"rss", []byte(`<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`), "text/plain; charset=utf-8"},
		{"atom", []byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>`), "text/plain; charset=utf-8"},
		{"node script", []byte("#!/usr/bin/env node\nconsole.log(1)\n"), "text/plain; charset=utf-8"},
		{"flash", []byte("FWS\x0a\x00\x00\x00\x00"), "application/octet-stream"},
		// A Visio drawing is a ZIP file named +xml: report the container.
		{"visio", mimeZip(t, "[Content_Types].xml", "visio/document.xml"), "application/zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SniffType(tt.head); got != tt.want {
				t.Errorf("SniffType(%.40q) = %q, want %q", tt.head, got, tt.want)
			}
		})
	}
}

func TestWithCharset(t *testing.T) {
	tests := []struct{ in, want string }{
		{"text/plain", "text/plain; charset=utf-8"},
		{"text/html", "text/html; charset=utf-8"},
		{"text/css", "text/css; charset=utf-8"},
		{"text/javascript", "text/javascript; charset=utf-8"},
		{"text/SGML", "text/SGML; charset=utf-8"},
		{"TEXT/PLAIN", "TEXT/PLAIN; charset=utf-8"},
		{"application/json", "application/json; charset=utf-8"},
		{"application/javascript", "application/javascript; charset=utf-8"},
		{"application/xml", "application/xml; charset=utf-8"},
		{"application/xhtml+xml", "application/xhtml+xml; charset=utf-8"},
		{"image/svg+xml", "image/svg+xml; charset=utf-8"},
		{"application/ld+json", "application/ld+json; charset=utf-8"},
		{"application/vnd.google-earth.kml+xml", "application/vnd.google-earth.kml+xml; charset=utf-8"},
		{"application/x-sh", "application/x-sh; charset=utf-8"},
		{"application/sql", "application/sql; charset=utf-8"},
		{"text/plain; format=flowed", "text/plain; format=flowed; charset=utf-8"},
		{"text/plain;", "text/plain; charset=utf-8"},
		{"text/plain; charset=iso-8859-1", "text/plain; charset=iso-8859-1"},
		{"text/plain;charset=utf-16", "text/plain;charset=utf-16"},
		{"text/plain; CHARSET = latin1", "text/plain; CHARSET = latin1"},
		{"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
		{"image/png", "image/png"},
		{"application/octet-stream", "application/octet-stream"},
		{"application/pdf", "application/pdf"},
		{"application/gzip", "application/gzip"},
		{"application/vnd.syncml.dm+wbxml", "application/vnd.syncml.dm+wbxml"},
		{"application/postscript", "application/postscript"},
		{"message/rfc822", "message/rfc822"},
		{"text", "text"},
		{"text/", "text/"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := WithCharset(tt.in); got != tt.want {
			t.Errorf("WithCharset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The cache must agree with the rules for every type in the tables.
	for ctype, cached := range mimeCharsetCache {
		if got := mimeAddCharset(ctype); got != cached {
			t.Errorf("mimeCharsetCache[%q] = %q, rules say %q", ctype, cached, got)
		}
	}
}

func TestContentType(t *testing.T) {
	html := []byte("<html><script>alert(1)</script></html>")
	tests := []struct {
		name, file string
		head       []byte
		want       string
		wantHead   bool // whether head is read
	}{
		{"known text", "a.html", html, "text/html; charset=utf-8", false},
		{"known binary", "a.png", html, "image/png", false},
		{"explicit octet-stream", "a.bin", []byte("hello\n"), "application/octet-stream", false},
		{"sniffed text", "README", []byte("hello\n"), "text/plain; charset=utf-8", true},
		{"sniffed html demoted", "page", html, "text/plain; charset=utf-8", true},
		{"sniffed png", "image", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png", true},
		{"sniffed empty", "empty", nil, "application/octet-stream", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := 0
			got := ContentType(tt.file, func() []byte { read++; return tt.head })
			if got != tt.want {
				t.Errorf("ContentType(%q) = %q, want %q", tt.file, got, tt.want)
			}
			if (read > 0) != tt.wantHead || read > 1 {
				t.Errorf("ContentType(%q) called head %d times, want read=%v", tt.file, read, tt.wantHead)
			}
		})
	}
	if got := ContentType("unknown", nil); got != "application/octet-stream" {
		t.Errorf("ContentType with nil head = %q", got)
	}
}

// mimeActive are types sniffing must never produce; nor any +xml type.
var mimeActive = []string{
	"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
	"text/javascript", "application/javascript", "application/x-javascript",
	"application/x-shockwave-flash",
}

func FuzzContentType(f *testing.F) {
	f.Add("a.html", []byte("<html>"))
	f.Add("README", []byte("<!DOCTYPE html><script>alert(1)</script>"))
	f.Add("x", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`))
	f.Add("x", []byte(`<?xml version="1.0"?><rss version="2.0"></rss>`))
	f.Add("x.tgz", []byte("\x1f\x8b\x08"))
	f.Add(".bashrc", []byte("export A=1\n"))
	f.Add("a.\u212aml", []byte{})
	f.Add("a.\xff", []byte("\x89PNG\r\n\x1a\n"))
	f.Add("data:text/html,x", []byte("#!/usr/bin/env node\n"))
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		base, ext := mimeSplitext(name)
		if base+ext != name {
			t.Fatalf("mimeSplitext(%q) = %q, %q", name, base, ext)
		}
		guess, known := GuessType(name)
		if guess == "" {
			t.Fatalf("GuessType(%q) is empty", name)
		}
		read := 0
		got := ContentType(name, func() []byte { read++; return head })
		if got == "" {
			t.Fatalf("ContentType(%q, %q) is empty", name, head)
		}
		if known && read != 0 || !known && read != 1 {
			t.Fatalf("ContentType(%q) read head %d times; GuessType ok=%v", name, read, known)
		}
		if WithCharset(got) != got {
			t.Fatalf("ContentType(%q) = %q, which WithCharset changes", name, got)
		}
		if !known {
			b := strings.ToLower(mimeBase(got))
			if slices.Contains(mimeActive, b) || strings.HasSuffix(b, "+xml") {
				t.Fatalf("ContentType(%q, %q) sniffed %q", name, head, got)
			}
		}
	})
}

func BenchmarkContentType(b *testing.B) {
	for _, name := range []string{"index.html", "photo.JPG", "x.tgz", "README"} {
		b.Run(name, func(b *testing.B) {
			head := []byte("hello, world\n")
			b.ReportAllocs()
			for b.Loop() {
				ContentType(name, func() []byte { return head })
			}
		})
	}
}
