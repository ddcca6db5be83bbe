package simplehandler

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// translateCases are request paths and their translations. pyDiffers
// marks the deliberate differences from Python's translate_path, which
// TestTranslatePathMatchesPython skips.
var translateCases = []struct {
	name      string
	in        string
	rel       string
	slash     bool
	err       error
	pyDiffers string // why Python's answer differs
}{
	{name: "root", in: "/", rel: ".", slash: true},
	{name: "empty", in: "", rel: "."},
	{name: "file", in: "/a", rel: "a"},
	{name: "dir", in: "/a/", rel: "a", slash: true},
	{name: "deep", in: "/a/b/c.txt", rel: "a/b/c.txt"},
	{name: "double slash", in: "/a//b", rel: "a/b"},
	{name: "leading double slash", in: "//a", rel: "a"},
	{name: "dots", in: "/./a/./b/.", rel: "a/b"},
	{name: "dotdot", in: "/a/../b", rel: "b"},
	{name: "dotdot above root", in: "/../../a", rel: "a"},
	{name: "dotdot to root", in: "/a/b/../../..", rel: "."},
	{name: "dotdot to root with slash", in: "/a/../", rel: ".", slash: true},
	{name: "encoded dotdot", in: "/%2e%2e/a", rel: "a"},
	{name: "encoded dotdot, upper case", in: "/%2E%2E/%2E%2E/a", rel: "a"},
	{name: "encoded slash", in: "/a%2Fb", rel: "a/b"},
	{name: "encoded trailing slash", in: "/a%2F", rel: "a"},
	{name: "encoded slash and dotdot", in: "/a%2F..%2F..%2Fb", rel: "b"},
	{name: "three dots is a name", in: "/...", rel: "..."},
	{name: "hidden", in: "/a/.hidden", rel: "a/.hidden"},
	{name: "query", in: "/a?x=/../#", rel: "a"},
	{name: "query with slash", in: "/a?x/", rel: "a"},
	{name: "query on dir", in: "/a/?x", rel: "a", slash: true},
	{name: "fragment", in: "/a#frag/..", rel: "a"},
	{name: "fragment after query", in: "/a?b#c/", rel: "a"},
	{name: "escapes", in: "/%41%42", rel: "AB"},
	{name: "short escape", in: "/%4", rel: "%4"},
	{name: "bad escape", in: "/%zz", rel: "%zz"},
	{name: "lone percent", in: "/100%", rel: "100%"},
	{name: "percent percent", in: "/%%41", rel: "%A"},
	{name: "escaped percent", in: "/%2541", rel: "%41"},
	{name: "space", in: "/a%20b", rel: "a b"},
	{name: "plus", in: "/a+b", rel: "a+b"},
	{name: "utf-8", in: "/%C3%A9", rel: "é"},
	{name: "newline", in: "/%0a%0d", rel: "\n\r"},
	{name: "backslash", in: `/a\b`, rel: `a\b`},
	{name: "encoded backslash dotdot", in: "/..%5c..%5cx", rel: `..\..\x`},
	{name: "star", in: "*", rel: "*"},
	{name: "no leading slash", in: "a/b", rel: "a/b"},
	{name: "no leading slash, dotdot", in: "../a", rel: "a"},
	{name: "nul", in: "/a%00", err: ErrBadPath, pyDiffers: "ValueError: embedded null byte"},
	{name: "nul and dotdot", in: "/%00/..", err: ErrBadPath, pyDiffers: "ValueError: embedded null byte"},
	{name: "nul in query", in: "/a?%00", rel: "a"},
	{name: "raw nul", in: "/\x00", err: ErrBadPath, pyDiffers: "ValueError: embedded null byte"},

	// Bytes that are not UTF-8.
	{name: "raw byte", in: "/%FF", rel: "\xff", pyDiffers: "Python decodes invalid UTF-8 to U+FFFD"},
	{name: "surrogate escape", in: "/%ED%B3%BF.txt", rel: "\xff.txt"},
	{name: "surrogate escape, lower case", in: "/%ed%b3%bf", rel: "\xff"},
	{name: "first surrogate escape", in: "/%ED%B2%80", rel: "\x80"},
	{name: "surrogate escapes", in: "/a%ED%B2%80%ED%B3%80b", rel: "a\x80\xc0b"},
	{name: "other surrogate", in: "/%ED%A0%80", rel: "\xed\xa0\x80", pyDiffers: "UnicodeEncodeError for U+D800"},
	{name: "cut surrogate", in: "/%ED%B3", rel: "\xed\xb3", pyDiffers: "Python decodes invalid UTF-8 to U+FFFD"},
	{name: "raw surrogate escape", in: "/\xed\xb3\xbf", rel: "\xff", pyDiffers: "Python reads raw bytes as ISO-8859-1"},
	{name: "raw utf-8", in: "/é", rel: "é", pyDiffers: "Python reads raw bytes as ISO-8859-1"},
	{name: "raw nbsp before slash", in: "/a/\xa0", rel: "a/\xa0", pyDiffers: "Python strips 0xA0 as whitespace"},
}

func TestTranslatePath(t *testing.T) {
	var h Handler
	for _, tc := range translateCases {
		t.Run(tc.name, func(t *testing.T) {
			rel, slash, err := h.TranslatePath(tc.in)
			if rel != tc.rel || slash != tc.slash || !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Errorf("TranslatePath(%q):\ngot  %q, %v, %v\nwant %q, %v, %v", tc.in, rel, slash, err, tc.rel, tc.slash, tc.err)
			}
		})
	}
}

// pyTranslate prints translate_path, on a handler serving /R, of each
// hex-encoded path on stdin, read as ISO-8859-1 as Python reads the
// request line; the result is printed as the bytes the file system sees.
const pyTranslate = `
import http.server, os, sys
class Self:
    directory = "/R"
translate = http.server.SimpleHTTPRequestHandler.translate_path
for line in sys.stdin:
    path = bytes.fromhex(line.strip()).decode("latin-1")
    try:
        print(os.fsencode(translate(Self(), path)).hex())
    except Exception as e:
        print("error")
`

// TestTranslatePathMatchesPython checks translateCases against Python's
// translate_path, but for the differences they record.
func TestTranslatePathMatchesPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("python3 is needed to compare with Python's http.server: %v", err)
	}
	var in strings.Builder
	for _, tc := range translateCases {
		in.WriteString(hex.EncodeToString([]byte(tc.in)) + "\n")
	}
	cmd := exec.Command(py, "-c", pyTranslate)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(translateCases) {
		t.Fatalf("python3 printed %d lines for %d paths", len(lines), len(translateCases))
	}
	for i, tc := range translateCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.pyDiffers != "" {
				t.Skip("deliberate difference: " + tc.pyDiffers)
			}
			want := "/R"
			if tc.rel != "." {
				want += "/" + tc.rel
			}
			if tc.slash {
				want += "/"
			}
			got, err := hex.DecodeString(lines[i])
			if err != nil || string(got) != want {
				t.Errorf("translate_path(%q): python %q, ours %q", tc.in, got, want)
			}
		})
	}
}

// FuzzTranslatePath checks that any URL path either fails with ErrBadPath
// or names a file inside the root.
func FuzzTranslatePath(f *testing.F) {
	for _, tc := range translateCases {
		f.Add(tc.in)
	}
	for _, c := range serveCases {
		f.Add(c.target)
	}
	const root = "/srv/root"
	f.Fuzz(func(t *testing.T, in string) {
		rel, slash, err := translatePath(in)
		p, _, _ := strings.Cut(in, "#")
		p, _, _ = strings.Cut(p, "?")
		p, _, _ = strings.Cut(p, "#")
		if slash != strings.HasSuffix(p, "/") {
			t.Errorf("translatePath(%q): trailing slash %v for %q", in, slash, p)
		}
		if err != nil {
			if !errors.Is(err, ErrBadPath) || !strings.Contains(p, "%00") && !strings.Contains(p, "\x00") {
				t.Fatalf("translatePath(%q): unexpected error %v", in, err)
			}
			return
		}
		if rel != "." {
			if rel == "" || path.Clean(rel) != rel || path.IsAbs(rel) || strings.Contains(rel, "\x00") || !filepath.IsLocal(rel) {
				t.Fatalf("translatePath(%q) = %q: not a clean relative name", in, rel)
			}
			for _, elem := range strings.Split(rel, "/") {
				if elem == ".." || elem == "." || elem == "" {
					t.Fatalf("translatePath(%q) = %q: element %q", in, rel, elem)
				}
			}
		}
		if j := filepath.Join(root, rel); j != root && !strings.HasPrefix(j, root+string(filepath.Separator)) {
			t.Fatalf("translatePath(%q) = %q: %q is outside %q", in, rel, j, root)
		}
		// The fast path for clean paths agrees with the full decoding.
		if isCleanPath(p) {
			if slow, err := decodePath(p); err != nil || slow != rel {
				t.Fatalf("translatePath(%q) = %q, but decodePath gives %q, %v", in, rel, slow, err)
			}
		}
	})
}

func TestRedirectTarget(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"path", "/sub", "/sub/"},
		{"query", "/sub?x=1", "/sub/?x=1"},
		{"empty query", "/sub?", "/sub/"},
		{"fragment", "/sub#f", "/sub/#f"},
		{"empty query and fragment", "/sub?#f", "/sub/#f"},
		{"query and empty fragment", "/sub?q#", "/sub/?q"},
		{"question mark in fragment", "/sub#f?x", "/sub/#f?x"},
		{"star", "*", "*/"},
		{"backslash", `/\evil.example/..`, "/%5Cevil.example/../"},
		{"backslash in query is kept", `/a\b?x=\`, `/a%5Cb/?x=\`},
		{"encoded slashes are kept", "/%2F%2Fevil.example", "/%2F%2Fevil.example/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := redirectTarget(tc.in); got != tc.want {
				t.Errorf("redirectTarget(%q): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestParseHTTPDate lists the dates If-Modified-Since may hold, with what
// Python's parsedate_to_datetime makes of them (printed by python3): a UTC
// time, or "ignored" (an error, or a zone other than UTC).
func TestParseHTTPDate(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	for _, tc := range []struct {
		name, in string
		ok       bool
		python   string
	}{
		{"imf-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", true, "1994-11-06 08:49:37+00:00"},
		{"rfc 850", "Sunday, 06-Nov-94 08:49:37 GMT", true, "1994-11-06 08:49:37+00:00"},
		{"rfc 850 utc", "Sunday, 06-Nov-94 08:49:37 UTC", true, "1994-11-06 08:49:37+00:00"},
		{"asctime", "Sun Nov  6 08:49:37 1994", true, "1994-11-06 08:49:37 (no zone: UTC)"},
		{"offset", "Sun, 06 Nov 1994 09:49:37 +0100", false, "ignored: +01:00"},
		{"rfc 850 pst", "Sunday, 06-Nov-94 08:49:37 PST", false, "ignored: -08:00"},
		{"rfc 850 est", "Sunday, 06-Nov-94 08:49:37 EST", false, "ignored: -05:00"},
		// Found by FuzzParseHTTPDate's review: time.Parse reads an unknown
		// zone as UTC; Python takes "+07" as 7 minutes and ignores the date.
		{"rfc 850 numeric zone", "Sunday, 06-Nov-94 08:49:37 +07", false, "ignored: +00:07"},
		{"rfc 850 unknown zone", "Sunday, 06-Nov-94 08:49:37 XYZ", false, "ignored: unknown zone"},
		{"garbage", "yesterday", false, "ignored: ValueError"},
		{"empty", "", false, "ignored: ValueError"},
		// Forms Python accepts and we ignore (see the package doc).
		{"numeric utc", "Sun, 06 Nov 1994 08:49:37 +0000", false, "1994-11-06 08:49:37+00:00"},
		{"no weekday", "06 Nov 1994 08:49:37 GMT", false, "1994-11-06 08:49:37+00:00"},
		{"one-digit day", "Sun, 6 Nov 1994 08:49:37 GMT", false, "1994-11-06 08:49:37+00:00"},
		{"no zone", "Sun, 06 Nov 1994 08:49:37", false, "1994-11-06 08:49:37 (no zone: UTC)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseHTTPDate(tc.in)
			if ok != tc.ok || ok && !got.Equal(want) {
				t.Errorf("parseHTTPDate(%q): got %v, %v; want ok %v (python: %s)", tc.in, got, ok, tc.ok, tc.python)
			}
		})
	}
}

// TestUnescapeSurrogatesAll checks every surrogate escape against Python:
// the UTF-8 of U+DC80+i (surrogatepass) decodes to the byte 0x80+i.
func TestUnescapeSurrogatesAll(t *testing.T) {
	for i := 0; i < 128; i++ {
		r := 0xDC80 + i
		enc := []byte{0xED, byte(0x80 | r>>6&0x3F), byte(0x80 | r&0x3F)} // what Python's surrogatepass encoder writes
		if got := unescapeSurrogates(bytes.Clone(enc)); !bytes.Equal(got, []byte{byte(0x80 + i)}) {
			t.Errorf("unescapeSurrogates(% x): got % x, want %02x", enc, got, 0x80+i)
		}
	}
}
