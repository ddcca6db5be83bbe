package listing

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "update .golden files")

// goldenPage is a fixed page with everything a listing can hold, including
// a name that is not UTF-8, which TestMatchesPython cannot cover.
var goldenPage = Page{
	Path: "/files/?sort=<name>&q=caf%C3%A9+%26",
	Entries: []Entry{
		{Name: "zeta.txt"},
		{Name: "Docs", IsDir: true},
		{Name: "a&b <c>.txt"},
		{Name: "\xff\xfe report.txt"}, // not UTF-8: link %FF%FE, text U+FFFD
		{Name: "latest", IsDir: true, IsSymlink: true},
		{Name: "dangling", IsSymlink: true},
		{Name: "日本語.txt"},
		{Name: "%41 #x?.txt"},
		{Name: `quote"'+.txt`},
	},
}

func TestGolden(t *testing.T) {
	p := goldenPage
	p.Entries = append([]Entry(nil), p.Entries...)
	Sort(p.Entries)
	got, err := p.AppendHTML(nil)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "page.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("AppendHTML differs from %s (run go test -update to accept):\n%s", golden, lineDiff(got, want))
	}
}

// TestAppendHTMLAppends checks that AppendHTML keeps what dst holds.
func TestAppendHTMLAppends(t *testing.T) {
	p := Page{Path: "/"}
	alone, err := p.AppendHTML(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.AppendHTML([]byte("prefix"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "prefix" + string(alone); string(got) != want {
		t.Errorf("AppendHTML([]byte(\"prefix\")) = %q, want %q", got, want)
	}
}

// FuzzAppendHTML renders arbitrary names (separated by NUL, which no file
// name holds) under an arbitrary request path. Whatever they hold, the
// page is valid UTF-8 with one <li> per entry, and no '<' comes from a
// name or the path: every '<' of the page belongs to its skeleton or to
// the four tags of an item.
func FuzzAppendHTML(f *testing.F) {
	f.Add("/", "a\x00b", []byte{0, 1, 2, 3})
	f.Add("/a/?q=<x>&b", "<li>\x00</ul>\x00&amp;", []byte{3})
	f.Add("/%ED%B3%BF/%FF\xff", "\xff.txt\x00\xed\xa0\x80\x00\xe6\x97", []byte{1, 2})
	f.Add("/%3C%3E%26%22'", "\"'>\x00%2F/..", []byte{})
	f.Add("", "", []byte{})

	empty, err := (&Page{}).AppendHTML(nil)
	if err != nil {
		f.Fatal(err)
	}
	skeleton := strings.Count(string(empty), "<")

	f.Fuzz(func(t *testing.T, path, names string, kinds []byte) {
		var entries []Entry
		if names != "" {
			for i, name := range strings.Split(names, "\x00") {
				var k byte
				if len(kinds) > 0 {
					k = kinds[i%len(kinds)]
				}
				entries = append(entries, Entry{Name: name, IsDir: k&1 != 0, IsSymlink: k&2 != 0})
			}
		}
		p := Page{Path: path, Entries: entries}
		out, err := p.AppendHTML(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out) {
			t.Errorf("page is not valid UTF-8:\n%q", out)
		}
		if got := strings.Count(string(out), "<li>"); got != len(entries) {
			t.Errorf("page has %d <li>, want %d:\n%q", got, len(entries), out)
		}
		if got, want := strings.Count(string(out), "<"), skeleton+4*len(entries); got != want {
			t.Errorf("page has %d '<', want %d (skeleton %d, 4 per item):\n%q", got, want, skeleton, out)
		}
	})
}

// BenchmarkAppendHTML renders a directory of 10,000 entries, a large
// photo folder: IMG_nnnnn.jpg names, with one in ten needing escaping in
// both the link and the text (a space, an &, non-ASCII letters) and one in
// twenty a directory. Plain ASCII names alone would be the best case. The
// names are built out of order and sorted, as Read and Sort hand them over.
func BenchmarkAppendHTML(b *testing.B) {
	p := Page{Path: "/photos/?C=N;O=A"}
	for i := range 10_000 {
		n := (i * 7919) % 10_000 // a permutation of 0..9999
		name := fmt.Sprintf("IMG_%05d.jpg", n)
		if n%10 == 0 {
			name = fmt.Sprintf("Été & co %05d.jpg", n)
		}
		p.Entries = append(p.Entries, Entry{Name: name, IsDir: n%20 == 5})
	}
	Sort(p.Entries)
	buf, err := p.AppendHTML(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf, err = p.AppendHTML(buf[:0])
		if err != nil {
			b.Fatal(err)
		}
	}
}
