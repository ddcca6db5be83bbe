package listing

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// These tests compare the package with CPython itself: testdata/
// list_directory.py runs SimpleHTTPRequestHandler.list_directory (and
// the helpers it relies on) and the output must match byte for byte.

// pythonRequest and pythonAnswer are the JSON exchanged with
// testdata/list_directory.py.
type pythonRequest struct {
	Listings []pythonListing `json:"listings,omitempty"`
	Decode   []string        `json:"decode,omitempty"` // hex
	Quote    []string        `json:"quote,omitempty"`  // hex
	Lower    []string        `json:"lower,omitempty"`
}

type pythonListing struct {
	Dir  string `json:"dir"`  // file system path
	Path string `json:"path"` // hex of the request path
}

type pythonAnswer struct {
	Listings []struct {
		Status  int         `json:"status"`
		Headers [][2]string `json:"headers"`
		Body    string      `json:"body"` // hex
	} `json:"listings"`
	Decode []string `json:"decode"` // hex
	Quote  []string `json:"quote"`
	Lower  []string `json:"lower"`
}

// runPython runs testdata/list_directory.py. It fails rather than skips
// without python3: these tests are the evidence that the page matches.
func runPython(t *testing.T, req pythonRequest) pythonAnswer {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to compare with http.server: %v", err)
	}
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-X", "utf8", filepath.Join("testdata", "list_directory.py"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 list_directory.py: %v\n%s", err, stderr.Bytes())
	}
	var ans pythonAnswer
	if err := json.Unmarshal(out, &ans); err != nil {
		t.Fatalf("python3 list_directory.py: %v\n%s", err, out)
	}
	return ans
}

// fixtureTree builds a directory of hostile names, all valid UTF-8 and
// none equal to another ignoring case (Python orders those by the file
// system, see Sort). It returns the directory.
func fixtureTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := []string{
		"plain.txt",
		"with space.txt",
		"a&b<c>d.txt",
		`quote"single'.txt`,
		"percent%20hash#question?.txt",
		"a+b",
		"semi;colon=eq.txt",
		"colon:name",
		`back\slash`,
		"tab\there",
		"new\nline",
		"café.txt",
		"Cafe2.txt",
		"日本語.txt",
		"emoji😀",
		".hidden",
		"Banana",
		"apple",
		"Cherry.TXT",
		"_under",
		"~tilde",
		"-dash",
		"Zeta",
		"zz",
		"ΟΔΟΣ 2",  // final sigma: Python lowers to "οδος 2", before "οδοσ 1"
		"οδοσ 1",  //
		"İa",      // Python lowers İ to "i\u0307", after "ib"
		"ib",      //
		"@at",     //
		"sub dir", // a directory, below
		"sub dir/inner.txt",
		"sub dir/Nested/",
		"sub dir/Ärger.txt",
		"Dir2/",
		"Dir2/x",
		"empty/",
	}
	for _, name := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		var err error
		switch {
		case name == "sub dir" || strings.HasSuffix(name, "/"):
			err = os.MkdirAll(p, 0o755)
		default:
			err = os.WriteFile(p, []byte(name), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	links := [][2]string{ // name, target
		{"link-to-file", "plain.txt"},
		{"link-to-dir", "sub dir"},
		{"Dangling", "does-not-exist"},
		{"sub dir/up", ".."},
		{"sub dir/loop", "loop"},
	}
	for _, l := range links {
		if err := os.Symlink(l[1], filepath.Join(dir, filepath.FromSlash(l[0]))); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestMatchesPython(t *testing.T) {
	root := fixtureTree(t)
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	tests := []struct {
		name string
		dir  string // relative to root, as Read takes it
		path string // the request path as the client sent it
	}{
		{"root", ".", "/"},
		{"subdir", "sub dir", "/sub%20dir/"},
		{"query", ".", "/a/?q=<x>&b"},
		{"empty dir", "empty", "/empty/"},
		{"utf-8 escapes", ".", "/caf%C3%A9/%e6%97%a5%E6%9C%AC?x=%26%3C%3E&y='\"+"},
		{"ill-formed utf-8", ".", "/bad%FF%E6%97A/%ZZ"},
		{"encoded surrogate then ill-formed", "Dir2", "/%ED%A0%80%FF"},
		{"truncated sequence", ".", "/trunc%F0%9F%98"},
		{"raw bytes", ".", "/raw\xc3\xa9/"},
		{"raw bytes and escapes", ".", "/raw\xc3\xa9/%41%ZZ%4%"},
		{"raw bytes split escapes", ".", "/%C3\xff%A9/"},
		{"controls", ".", "/nul%00%09tab%0A"},
		{"escaped slash and hash", ".", "/a%2Fb%3F%23frag#x"},
		{"lone percent", ".", "/100%"},
		{"empty", ".", ""},
		{"html in path", ".", "/%3Cscript%3E&amp;/"},
	}
	req := pythonRequest{}
	for _, tt := range tests {
		req.Listings = append(req.Listings, pythonListing{
			Dir:  filepath.Join(root, tt.dir),
			Path: hex.EncodeToString([]byte(tt.path)),
		})
	}
	ans := runPython(t, req)
	if len(ans.Listings) != len(tests) {
		t.Fatalf("python3 answered %d listings, want %d", len(ans.Listings), len(tests))
	}

	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			py := ans.Listings[i]
			if py.Status != 200 {
				t.Fatalf("python3 answered status %d", py.Status)
			}
			if got := py.Headers[0]; got != [2]string{"Content-type", ContentType} {
				t.Errorf("python3 sent %q, ContentType is %q", got, ContentType)
			}
			want, err := hex.DecodeString(py.Body)
			if err != nil {
				t.Fatal(err)
			}

			entries, err := ReadNames(r, tt.dir) // what the handler reads for Python's page
			if err != nil {
				t.Fatal(err)
			}
			Sort(entries)
			p := Page{Path: tt.path, Entries: entries}
			got, err := p.AppendPythonHTML(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("AppendPythonHTML differs from Python for path %q:\n%s", tt.path, lineDiff(got, want))
			}

			// httpserve's page keeps Python's links: a scraper
			// that reads <li><a href="HREF">DISPLAY</a> finds the
			// same ones, and skips the parent link.
			p.Parent = true
			page, err := p.AppendHTML(nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := pageLinks(page), pageLinks(want); !slices.Equal(got, want) {
				t.Errorf("AppendHTML links differ from Python's for path %q:\n got: %q\nwant: %q", tt.path, got, want)
			}
		})
	}
}

// linkPattern is how a scraper finds the entries of Python's page.
var linkPattern = regexp.MustCompile(`<li><a href="([^"]*)">([^<]*)</a>`)

// pageLinks returns the href and text of each link linkPattern finds.
func pageLinks(page []byte) [][2]string {
	var links [][2]string
	for _, m := range linkPattern.FindAllSubmatch(page, -1) {
		links = append(links, [2]string{string(m[1]), string(m[2])})
	}
	return links
}

// lineDiff shows the first line where got and want differ.
func lineDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, gl, wl)
		}
	}
	return "(no line differs)"
}

// TestEscapingMatchesPython checks the escaping functions on inputs the
// fixture tree cannot hold: every byte, and ill-formed UTF-8.
func TestEscapingMatchesPython(t *testing.T) {
	var quoteIn []string
	for c := range 256 {
		quoteIn = append(quoteIn, string([]byte{'a', byte(c), 'z'}))
	}
	quoteIn = append(quoteIn, "日本語/ß é", "")

	// Every lead byte followed by a second and a third byte from both
	// sides of each range boundary of Unicode Table 3-7.
	var decodeIn []string
	seconds := []string{"", "A", "\x7f", "\x80", "\x8f", "\x90", "\x9f", "\xa0", "\xbf", "\xc0"}
	thirds := []string{"", "A", "\x80", "\xbf", "\x80\x80", "\x80<"}
	for c := 0x80; c <= 0xFF; c++ {
		for _, s2 := range seconds {
			for _, s3 := range thirds {
				decodeIn = append(decodeIn, string([]byte{byte(c)})+s2+s3)
			}
		}
	}
	decodeIn = append(decodeIn, "a<\xff>&", "\xed\xa0\x80", "\xf0\x9f\x98\x80\xf0\x9f\x98", "\xef\xbf\xbd")

	lowerIn := []string{
		"ΑΣ", "ΑΣ 2", "ΑΣ.t", "ΑΣ'", "ΑΣ'x", "Σ", "aΣ", "aΣb", "aΣ\u0308", "aΣ\u0308b",
		"A.Σ", ".Σ", "ΣΣ", "aΣΣ", "aΣΣ b", "1Σ", "ǅΣ", "ʰΣ", "ªΣ", "aΣ\u00ad",
		"İ", "İa", "AİB", "ǅ", "ß", "ẞ", "K", "Ⅻ", "Ａ", "𐐀", "ꭰ", "MiXeD.TXT", "",
	}

	ans := runPython(t, pythonRequest{
		Quote:  hexAll(quoteIn),
		Decode: hexAll(decodeIn),
		Lower:  lowerIn,
	})

	for i, in := range quoteIn {
		if got, want := string(appendQuoted(nil, in)), ans.Quote[i]; got != want {
			t.Errorf("appendQuoted(%q) = %q, Python quote gives %q", in, got, want)
		}
	}
	for i, in := range decodeIn {
		want, _ := hex.DecodeString(ans.Decode[i])
		if got := appendEscapedName(nil, in); !bytes.Equal(got, want) {
			t.Errorf("appendEscapedName(%q) = %q, Python decode('utf-8', 'replace') gives %q", in, got, want)
		}
	}
	for i, in := range lowerIn {
		if got, want := lowerKey(in), ans.Lower[i]; got != want {
			t.Errorf("lowerKey(%q) = %q, Python lower gives %q", in, got, want)
		}
	}
}

func hexAll(ss []string) []string {
	h := make([]string, len(ss))
	for i, s := range ss {
		h[i] = hex.EncodeToString([]byte(s))
	}
	return h
}
