package listing

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "update .golden files")

// goldenTime is the modification time of the golden entries, not in UTC,
// so that the goldens show the conversion.
var goldenTime = time.Date(2026, 11, 21, 17, 19, 40, 123456789, time.FixedZone("CET", 3600))

// goldenPage is a fixed page with everything a listing can hold, including
// a name that is not UTF-8, which TestMatchesPython cannot cover.
var goldenPage = Page{
	Path: "/files/?sort=<name>&q=caf%C3%A9+%26",
	Entries: []Entry{
		{Name: "zeta.txt", Size: 5, ModTime: goldenTime},
		{Name: "Docs", IsDir: true, Size: 4096, ModTime: goldenTime.Add(-time.Hour)},
		{Name: "a&b <c>.txt", Size: 1536, ModTime: goldenTime.Add(-48 * time.Hour)},
		{Name: "\xff\xfe report.txt", Size: 10 << 20, ModTime: goldenTime.Add(time.Minute)}, // not UTF-8: link %FF%FE, text U+FFFD
		{Name: "latest", IsDir: true, IsSymlink: true, Size: 4096, ModTime: goldenTime},
		{Name: "dangling", IsSymlink: true, Size: 7, ModTime: goldenTime.AddDate(-1, 0, 0)},
		{Name: "日本語.txt", Size: 1023, ModTime: goldenTime.Add(time.Second)},
		{Name: "%41 #x?.txt", Size: 0, ModTime: goldenTime},
		{Name: `quote"'+.txt`, Size: 5 << 40, ModTime: goldenTime.AddDate(-30, 0, 0)},
		{Name: "</a><script>alert(1)</script>\n\u2028", Size: 1}, // unknown time
		{Name: ".hidden", Size: 3, ModTime: goldenTime},
	},
}

// goldens are the golden files: Python's page, httpserve's page in two
// orders, and the JSON listing.
var goldens = []struct {
	file   string
	opts   Options
	parent bool
	render func(*Page, []byte) ([]byte, error)
}{
	{"python.golden", Options{}, false, (*Page).AppendPythonHTML},
	{"listing.golden", Options{}, true, (*Page).AppendHTML},
	{"listing-size-desc-dirs-first.golden", Options{Sort: SortSize, Desc: true, DirsFirst: true, HideDotfiles: true}, false, (*Page).AppendHTML},
	{"listing.json.golden", Options{}, true, (*Page).AppendJSON},
	{"listing-time-asc.json.golden", Options{Sort: SortTime, HideDotfiles: true}, true, (*Page).AppendJSON},
}

func TestGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			p := goldenPage
			p.Options, p.Parent = g.opts, g.parent
			p.Entries = Filter(append([]Entry(nil), p.Entries...), g.opts)
			SortBy(p.Entries, g.opts)
			got, err := g.render(&p, nil)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", g.file)
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
				t.Errorf("output differs from %s (run go test -update to accept):\n%s", golden, lineDiff(got, want))
			}
		})
	}
}

// TestAppendAppends checks that each renderer keeps what dst holds.
func TestAppendAppends(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			p := goldenPage
			alone, err := g.render(&p, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := g.render(&p, []byte("prefix"))
			if err != nil {
				t.Fatal(err)
			}
			if want := "prefix" + string(alone); string(got) != want {
				t.Errorf("render([]byte(\"prefix\")) = %q, want %q", got, want)
			}
		})
	}
}

// TestPageParts checks the parts of httpserve's page that the goldens
// show only once: the parent link, the title without the query, the
// state of the sort links.
func TestPageParts(t *testing.T) {
	tests := []struct {
		name string
		page Page
		want []string // substrings of the page
		not  []string // strings the page must not hold
	}{
		{
			name: "root",
			page: Page{Path: "/"},
			want: []string{"<title>Directory listing for /</title>", "<h1>Directory listing for /</h1>"},
			not:  []string{`class="parent"`, `href="../"`},
		},
		{
			name: "parent, query left out of the title",
			page: Page{Path: "/a%20b/?sort=size&order=desc", Parent: true},
			want: []string{
				"<title>Directory listing for /a b/</title>",
				"<ul>\n<li class=\"parent\"><a href=\"../\">../</a></li>\n",
			},
		},
		{
			name: "name ascending",
			page: Page{Path: "/"},
			want: []string{
				`<a href="?sort=name&amp;order=desc&amp;dirs=mixed" class="asc">Name</a>`,
				`<a href="?sort=size&amp;order=desc&amp;dirs=mixed">Size</a>`,
				`<a href="?sort=time&amp;order=desc&amp;dirs=mixed">Modified (UTC)</a>`,
				`<a href="?sort=name&amp;order=asc&amp;dirs=first">Directories first</a>`,
				`<a href="?format=json&amp;sort=name&amp;order=asc&amp;dirs=mixed" type="application/json">JSON</a>`,
			},
		},
		{
			name: "size descending, directories first",
			page: Page{Path: "/", Options: Options{Sort: SortSize, Desc: true, DirsFirst: true}},
			want: []string{
				`<a href="?sort=name&amp;order=asc&amp;dirs=first">Name</a>`,
				`<a href="?sort=size&amp;order=asc&amp;dirs=first" class="desc">Size</a>`,
				`<a href="?sort=time&amp;order=desc&amp;dirs=first">Modified (UTC)</a>`,
				`<a href="?sort=size&amp;order=desc&amp;dirs=mixed" class="on">Directories first</a>`,
				`<a href="?format=json&amp;sort=size&amp;order=desc&amp;dirs=first" type="application/json">JSON</a>`,
			},
		},
		{
			name: "time ascending, unknown key",
			page: Page{Path: "/", Options: Options{Sort: SortTime}},
			want: []string{`<a href="?sort=time&amp;order=desc&amp;dirs=mixed" class="asc">Modified (UTC)</a>`},
		},
		{
			name: "unknown key sorts by name",
			page: Page{Path: "/", Options: Options{Sort: "color", Desc: true}},
			want: []string{`<a href="?sort=name&amp;order=asc&amp;dirs=mixed" class="desc">Name</a>`},
		},
		{
			name: "entries",
			page: Page{Path: "/", Entries: []Entry{
				{Name: "d", IsDir: true, Size: 4096, ModTime: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
				{Name: "f", Size: 1234, ModTime: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
				{Name: "gone"},
				{Name: "far", ModTime: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
				{Name: "early", ModTime: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
			}},
			want: []string{
				"<li><a href=\"d/\">d/</a> <time datetime=\"2026-01-02T03:04:05Z\">2026-01-02 03:04</time></li>\n",
				"<li><a href=\"f\">f</a> <data value=\"1234\">1.2 KiB</data> <time datetime=\"2026-01-02T03:04:05Z\">2026-01-02 03:04</time></li>\n",
				"<li><a href=\"gone\">gone</a> <data value=\"0\">0 B</data></li>\n",
				"<li><a href=\"far\">far</a> <data value=\"0\">0 B</data></li>\n",
				"<li><a href=\"early\">early</a> <data value=\"0\">0 B</data></li>\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := tt.page.AppendHTML(nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.want {
				if !contains(out, s) {
					t.Errorf("page does not contain %q:\n%s", s, out)
				}
			}
			for _, s := range tt.not {
				if contains(out, s) {
					t.Errorf("page contains %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestPageLoadsNothing checks that httpserve's page asks the browser
// for nothing: no script, no external style sheet, image or font.
func TestPageLoadsNothing(t *testing.T) {
	p := goldenPage
	p.Parent = true
	out, err := p.AppendHTML(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<script", "<link", "<img", "@import", "url(", "src=", "http:", "https:", "//"} {
		// The hostile golden name holds <script>, escaped.
		if contains(bytes.ReplaceAll(out, []byte("&lt;script&gt;"), nil), s) {
			t.Errorf("page contains %q", s)
		}
	}
	for _, s := range []string{"color-scheme:light dark", "@media (prefers-color-scheme:dark)"} {
		if !contains(out, s) {
			t.Errorf("page does not contain %q", s)
		}
	}
}

func TestAppendSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1, "1 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{10137, "9.9 KiB"},
		{10189, "10 KiB"}, // 9.95 KiB rounds to 10, not 10.0
		{1023 * 1024, "1023 KiB"},
		{1024*1024 - 513, "1023 KiB"},
		{1024*1024 - 512, "1.0 MiB"}, // 1023.5 KiB rounds to 1024: a MiB
		{5 << 30, "5.0 GiB"},
		{123 << 40, "123 TiB"},
		{1 << 62, "4.0 EiB"},
		{1<<63 - 1, "8.0 EiB"},
	}
	for _, tt := range tests {
		if got := string(appendSize(nil, tt.n)); got != tt.want {
			t.Errorf("appendSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestAppendTimes(t *testing.T) {
	tests := []time.Time{
		time.Date(2026, 11, 21, 16, 19, 40, 999999999, time.UTC),
		time.Date(2026, 11, 21, 23, 59, 59, 0, time.FixedZone("", -5*3600)), // the next day in UTC
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(1<<31, 0),
	}
	for _, tm := range tests {
		if !knownTime(tm) {
			t.Errorf("knownTime(%v) = false", tm)
			continue
		}
		if got, want := string(appendRFC3339(nil, tm)), tm.UTC().Format(time.RFC3339); got != want {
			t.Errorf("appendRFC3339(%v) = %q, want %q", tm, got, want)
		}
		want := tm.UTC().Format(`<time datetime="2006-01-02T15:04:05Z">2006-01-02 15:04</time>`)
		if got := string(appendTimeElement(nil, tm)); got != want {
			t.Errorf("appendTimeElement(%v) = %q, want %q", tm, got, want)
		}
	}
	for _, tm := range []time.Time{{}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)} {
		if knownTime(tm) {
			t.Errorf("knownTime(%v) = true", tm)
		}
	}
}

func TestDecodePath(t *testing.T) {
	tests := []struct{ target, want string }{
		{"/", "/"},
		{"/a%20b/?q=%41", "/a b/"},
		{"/a#frag?x", "/a"},
		{"/caf%C3%A9/", "/café/"},
		{"/raw\xc3\xa9/", "/rawé/"}, // bytes, not Latin-1 as in Python's title
		{"/%FF%e6%97A/", "/\uFFFD\uFFFDA/"},
		{"/%ED%A0%80", "/\uFFFD\uFFFD\uFFFD"},
		{"/100%", "/100%"},
		{"/%zz%4", "/%zz%4"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := decodePath(tt.target); got != tt.want {
			t.Errorf("decodePath(%q) = %q, want %q", tt.target, got, tt.want)
		}
	}
}

// fuzzEntries builds entries for the fuzz tests: names separated by NUL
// (which no file name holds), kinds and times cycled from their inputs.
func fuzzEntries(names string, kinds []byte, size, mtime int64) []Entry {
	if names == "" {
		return nil
	}
	var entries []Entry
	for i, name := range strings.Split(names, "\x00") {
		var k byte
		if len(kinds) > 0 {
			k = kinds[i%len(kinds)]
		}
		e := Entry{Name: name, IsDir: k&1 != 0, IsSymlink: k&2 != 0, Size: size + int64(i)}
		if k&4 == 0 {
			e.ModTime = time.Unix(mtime, int64(i)).In(time.FixedZone("", int(k)*60))
		}
		entries = append(entries, e)
	}
	return entries
}

// FuzzAppendHTML renders arbitrary names under an arbitrary request path
// on both pages. Whatever they hold, each page is valid UTF-8, has one
// <li> per entry whose link and text are Python's (as a scraper reads
// them), and no '<' comes from a name or the path: every '<' of the page
// belongs to its frame or to the tags of an item.
func FuzzAppendHTML(f *testing.F) {
	f.Add("/", "a\x00b", []byte{0, 1, 2, 3}, int64(0), int64(0))
	f.Add("/a/?q=<x>&b", "<li>\x00</ul>\x00&amp;", []byte{3}, int64(1<<20), int64(1e9))
	f.Add("/%ED%B3%BF/%FF\xff", "\xff.txt\x00\xed\xa0\x80\x00\xe6\x97", []byte{1, 2, 4}, int64(-1), int64(-1e12))
	f.Add("/%3C%3E%26%22'", "\"'>\x00%2F/..\x00</a></li>", []byte{}, int64(1<<62), int64(1<<40))
	f.Add("/?<script>#</h1>", "<time>\x00\"><data>\x00\u2028", []byte{6, 5}, int64(7), int64(1e9))
	f.Add("", "", []byte{}, int64(0), int64(0))

	frame := func(render func(*Page, []byte) ([]byte, error)) int {
		empty, err := render(&Page{}, nil)
		if err != nil {
			f.Fatal(err)
		}
		return strings.Count(string(empty), "<")
	}
	pythonFrame, pageFrame := frame((*Page).AppendPythonHTML), frame((*Page).AppendHTML)

	f.Fuzz(func(t *testing.T, path, names string, kinds []byte, size, mtime int64) {
		entries := fuzzEntries(names, kinds, size, mtime)
		p := Page{Path: path, Entries: entries, Options: Options{Desc: size%2 == 0}}
		python, err := p.AppendPythonHTML(nil)
		if err != nil {
			t.Fatal(err)
		}
		page, err := p.AppendHTML(nil)
		if err != nil {
			t.Fatal(err)
		}
		var want [][2]string
		pageTags := pageFrame
		for _, e := range entries {
			href := string(appendQuoted(nil, e.Name))
			text := string(appendEscapedName(nil, e.Name))
			if e.IsDir {
				href += "/"
			}
			switch {
			case e.IsSymlink:
				text += "@"
			case e.IsDir:
				text += "/"
			}
			want = append(want, [2]string{href, text})
			pageTags += 4 // <li>, <a>, </a>, </li>
			if !e.IsDir {
				pageTags += 2 // <data>, </data>
			}
			if knownTime(e.ModTime) {
				pageTags += 2 // <time>, </time>
			}
		}
		for _, c := range []struct {
			name string
			out  []byte
			tags int
		}{
			{"AppendPythonHTML", python, pythonFrame + 4*len(entries)},
			{"AppendHTML", page, pageTags},
		} {
			if !utf8.Valid(c.out) {
				t.Errorf("%s: page is not valid UTF-8:\n%q", c.name, c.out)
			}
			if got := pageLinks(c.out); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: links\n got: %q\nwant: %q", c.name, got, want)
			}
			if got := strings.Count(string(c.out), "<"); got != c.tags {
				t.Errorf("%s: page has %d '<', want %d:\n%q", c.name, got, c.tags, c.out)
			}
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
	mtime := time.Date(2026, 11, 21, 16, 19, 40, 0, time.UTC)
	for i := range 10_000 {
		n := (i * 7919) % 10_000 // a permutation of 0..9999
		name := fmt.Sprintf("IMG_%05d.jpg", n)
		if n%10 == 0 {
			name = fmt.Sprintf("Été & co %05d.jpg", n)
		}
		p.Entries = append(p.Entries, Entry{Name: name, IsDir: n%20 == 5, Size: int64(n) << 10, ModTime: mtime.Add(time.Duration(n) * time.Minute)})
	}
	Sort(p.Entries)
	for _, r := range []struct {
		name   string
		render func(*Page, []byte) ([]byte, error)
	}{
		{"python", (*Page).AppendPythonHTML},
		{"page", (*Page).AppendHTML},
		{"json", (*Page).AppendJSON},
	} {
		b.Run(r.name, func(b *testing.B) {
			buf, err := r.render(&p, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				buf, err = r.render(&p, buf[:0])
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
