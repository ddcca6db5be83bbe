package errors

import (
	"bytes"
	"flag"
	"html"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "update .golden files")

// TestGolden404 checks the page SimpleHTTPRequestHandler sends for a
// missing file: send_error(404, "File not found").
func TestGolden404(t *testing.T) {
	got := AppendPage(nil, 404, "File not found", Explain(404))
	golden := filepath.Join("testdata", "404.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("page differs from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

func TestAppendPageKeepsDst(t *testing.T) {
	const head = "HTTP/1.0 404 Not Found\r\n\r\n"
	dst := make([]byte, 0, 1024)
	dst = append(dst, head...)
	got := AppendPage(dst, 404, "Not Found", "x")
	want := append([]byte(head), AppendPage(nil, 404, "Not Found", "x")...)
	if !bytes.Equal(got, want) {
		t.Errorf("AppendPage(dst, ...) = %q, want %q", got, want)
	}
}

// TestFallback keeps appendFallback equal to templates/error.html.
func TestFallback(t *testing.T) {
	for _, c := range pageCases {
		message, explain := defaults(c.code, c.message, c.explain)
		data := pageData{c.code, htmlOf(message), htmlOf(explain)}
		want, ok := render([]byte("prefix"), &data)
		if !ok {
			t.Fatalf("%s: error.html failed to render", c.name)
		}
		if got := appendFallback([]byte("prefix"), &data); !bytes.Equal(got, want) {
			t.Errorf("%s: fallback differs from error.html\ngot:\n%s\nwant:\n%s", c.name, got, want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"File not found", "File not found"},
		{`<script>&"'</script>`, `&lt;script&gt;&amp;"'&lt;/script&gt;`},
		{"&amp;", "&amp;amp;"},
		{"é日本🐍", "é日本🐍"},
		{"\uFFFD", "\uFFFD"}, // a real U+FFFD is valid and kept
		// Invalid UTF-8, one U+FFFD per maximal subpart, as Python's
		// b.decode('utf-8', 'replace') gives.
		{"\xff", "\uFFFD"},
		{"\xff\xff", "\uFFFD\uFFFD"},
		{"a\xe6\x97<", "a\uFFFD&lt;"},                    // truncated 日
		{"\xf0\x9f\x98", "\uFFFD"},                       // truncated 😀
		{"\xf0\x9f\x98\xff", "\uFFFD\uFFFD"},             // truncated, then invalid
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},           // surrogate
		{"\xc0\xaf", "\uFFFD\uFFFD"},                     // overlong /
		{"\xe0\x80\xaf", "\uFFFD\uFFFD\uFFFD"},           // overlong /
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"}, // above U+10FFFF
		{"\x80\xbf", "\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzAppendPage checks that escaping holds whatever the message and
// explanation: every <, > and & in the page is the template's own, the
// page is valid UTF-8, and valid text comes back unchanged on unescaping.
func FuzzAppendPage(f *testing.F) {
	for _, c := range pageCases {
		message, explain := defaults(c.code, c.message, c.explain)
		f.Add(c.code, message, explain)
	}
	f.Add(404, "</p><script>alert(1)</script><p>", "&lt;&#60;&")
	f.Fuzz(func(t *testing.T, code int, message, explain string) {
		page := AppendPage(nil, code, message, explain)
		if !utf8.Valid(page) {
			t.Fatalf("page is not valid UTF-8: %q", page)
		}
		bare := AppendPage(nil, code, "", "")
		for _, c := range []string{"<", ">"} {
			if got, want := bytes.Count(page, []byte(c)), bytes.Count(bare, []byte(c)); got != want {
				t.Fatalf("page has %d %q, the template alone %d: escaping failed\n%s", got, c, want, page)
			}
		}
		for i := bytes.IndexByte(page, '&'); i >= 0; i = nextAmp(page, i) {
			rest := page[i:]
			if !bytes.HasPrefix(rest, []byte("&amp;")) && !bytes.HasPrefix(rest, []byte("&lt;")) &&
				!bytes.HasPrefix(rest, []byte("&gt;")) {
				t.Fatalf("raw & at %d: %q", i, page)
			}
		}
		gotMessage := between(t, page, "<p>Message: ", ".</p>\n")
		_, gotExplain, _ := strings.Cut(between(t, page, "<p>Error code explanation: ", ".</p>\n    </body>"), " - ")
		if utf8.ValidString(message) && html.UnescapeString(gotMessage) != message {
			t.Errorf("message %q came back as %q", message, gotMessage)
		}
		if utf8.ValidString(explain) && html.UnescapeString(gotExplain) != explain {
			t.Errorf("explanation %q came back as %q", explain, gotExplain)
		}
	})
}

func htmlOf(s string) template.HTML { return template.HTML(escape(s)) }

func nextAmp(b []byte, i int) int {
	j := bytes.IndexByte(b[i+1:], '&')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// between returns the text of page after the first start and before the
// next end; escaping guarantees neither can come from a value.
func between(t *testing.T, page []byte, start, end string) string {
	t.Helper()
	_, after, ok := strings.Cut(string(page), start)
	if !ok {
		t.Fatalf("no %q in page\n%s", start, page)
	}
	value, _, ok := strings.Cut(after, end)
	if !ok {
		t.Fatalf("no %q after %q in page\n%s", end, start, page)
	}
	return value
}

func BenchmarkAppendPage(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 1024)
	for b.Loop() {
		buf = AppendPage(buf[:0], 404, "File not found", Explain(404))
	}
}
