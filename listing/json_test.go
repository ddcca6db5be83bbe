package listing

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// jsonListing is the schema of the package documentation, as a client
// would declare it.
type jsonListing struct {
	Path    string      `json:"path"`
	Entries []jsonEntry `json:"entries"`
}

type jsonEntry struct {
	Name    string     `json:"name"`
	Type    string     `json:"type"`
	Symlink bool       `json:"symlink"`
	Size    *int64     `json:"size"`
	MTime   *time.Time `json:"mtime"`
	Href    string     `json:"href"`
}

// decodeListing decodes a JSON listing strictly: no field the schema
// does not name, every entry with all six fields.
func decodeListing(t *testing.T, out []byte) jsonListing {
	t.Helper()
	if !json.Valid(out) {
		t.Fatalf("not valid JSON:\n%q", out)
	}
	d := json.NewDecoder(bytes.NewReader(out))
	d.DisallowUnknownFields()
	var l jsonListing
	if err := d.Decode(&l); err != nil {
		t.Fatalf("decoding %q: %v", out, err)
	}
	var raw struct {
		Entries []map[string]json.RawMessage `json:"entries"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	for i, e := range raw.Entries {
		if len(e) != 6 {
			t.Errorf("entry %d has %d fields, want 6: %v", i, len(e), e)
		}
	}
	if l.Entries == nil {
		t.Errorf("entries is null or missing, want an array:\n%s", out)
	}
	return l
}

// TestJSONSchema checks the goldens against the documented schema.
func TestJSONSchema(t *testing.T) {
	p := goldenPage
	out, err := p.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	l := decodeListing(t, out)
	if l.Path != "/files/" {
		t.Errorf("path = %q, want %q", l.Path, "/files/")
	}
	byName := map[string]jsonEntry{}
	for _, e := range l.Entries {
		byName[e.Name] = e
	}
	size := func(n int64) *int64 { return &n }
	for _, tt := range []struct {
		name    string
		typ     string
		symlink bool
		size    *int64
		href    string
	}{
		{"zeta.txt", "file", false, size(5), "zeta.txt"},
		{"Docs", "dir", false, nil, "Docs/"},
		{"latest", "dir", true, nil, "latest/"},
		{"dangling", "file", true, size(7), "dangling"},
		{"\uFFFD\uFFFD report.txt", "file", false, size(10 << 20), "%FF%FE%20report.txt"},
		{"a&b <c>.txt", "file", false, size(1536), "a%26b%20%3Cc%3E.txt"},
	} {
		e, ok := byName[tt.name]
		if !ok {
			t.Errorf("no entry named %q", tt.name)
			continue
		}
		if e.Type != tt.typ || e.Symlink != tt.symlink || e.Href != tt.href ||
			(e.Size == nil) != (tt.size == nil) || e.Size != nil && *e.Size != *tt.size {
			t.Errorf("entry %q = %+v, want type %q, symlink %v, size %v, href %q", tt.name, e, tt.typ, tt.symlink, tt.size, tt.href)
		}
		if e.MTime == nil || e.MTime.Location() != time.UTC || e.MTime.Nanosecond() != 0 {
			t.Errorf("entry %q: mtime %v, want a time in UTC, to the second", tt.name, e.MTime)
		}
	}
	if e := byName["</a><script>alert(1)</script>\n\u2028"]; e.MTime != nil {
		t.Errorf("entry of unknown time: mtime %v, want null", e.MTime)
	}
	if bytes.ContainsAny(out, "<>&") {
		t.Errorf("JSON holds a raw <, > or &:\n%s", out)
	}

	empty, err := (&Page{Path: "/"}).AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\"path\":\"/\",\"entries\":[]}\n"; string(empty) != want {
		t.Errorf("empty listing = %q, want %q", empty, want)
	}
}

// FuzzAppendJSON renders arbitrary names under an arbitrary request path
// as JSON. Whatever they hold, the listing decodes with encoding/json
// into the documented schema, each name reads back as the name with
// ill-formed UTF-8 replaced, each href is the HTML page's link, and each
// time is the entry's, in UTC, to the second.
func FuzzAppendJSON(f *testing.F) {
	f.Add("/", "a\x00b", []byte{0, 1, 2, 3}, int64(0), int64(0))
	f.Add("/a/?q=<x>&b", "<li>\x00</ul>\x00&amp;\x00\"\\\x00\u2028\u2029", []byte{3}, int64(1<<20), int64(1e9))
	f.Add("/%ED%B3%BF/%FF\xff", "\xff.txt\x00\xed\xa0\x80\x00\xe6\x97", []byte{1, 2, 4}, int64(-1), int64(-1e12))
	f.Add("/%22%5C%00", "\x00\x01\x1f\x7f\x00\b\f\n\r\t", []byte{}, int64(1<<62), int64(1<<40))
	f.Add("", "", []byte{}, int64(0), int64(0))

	f.Fuzz(func(t *testing.T, path, names string, kinds []byte, size, mtime int64) {
		entries := fuzzEntries(names, kinds, size, mtime)
		p := Page{Path: path, Entries: entries}
		out, err := p.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		l := decodeListing(t, out)
		if want := decodePath(path); l.Path != want {
			t.Errorf("path = %q, want %q", l.Path, want)
		}
		if len(l.Entries) != len(entries) {
			t.Fatalf("%d entries, want %d", len(l.Entries), len(entries))
		}
		for i, e := range entries {
			got := l.Entries[i]
			href := string(appendQuoted(nil, e.Name))
			typ := "file"
			if e.IsDir {
				href += "/"
				typ = "dir"
			}
			if want := string(appendValidUTF8(nil, e.Name)); got.Name != want {
				t.Errorf("entry %d: name %q, want %q", i, got.Name, want)
			}
			if got.Href != href || got.Type != typ || got.Symlink != e.IsSymlink {
				t.Errorf("entry %d: %+v, want href %q, type %q, symlink %v", i, got, href, typ, e.IsSymlink)
			}
			switch {
			case e.IsDir && got.Size != nil:
				t.Errorf("entry %d: size %d, want null for a directory", i, *got.Size)
			case !e.IsDir && (got.Size == nil || *got.Size != e.Size):
				t.Errorf("entry %d: size %v, want %d", i, got.Size, e.Size)
			}
			switch {
			case !knownTime(e.ModTime) && got.MTime != nil:
				t.Errorf("entry %d: mtime %v, want null", i, got.MTime)
			case knownTime(e.ModTime) && (got.MTime == nil || !got.MTime.Equal(e.ModTime.Truncate(time.Second))):
				t.Errorf("entry %d: mtime %v, want %v", i, got.MTime, e.ModTime.UTC().Truncate(time.Second))
			}
		}
	})
}

// FuzzAppendJSONString checks that strings are escaped exactly as
// encoding/json escapes them.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a", "<>&", "\"\\/", "\x00\x1f\x7f", "\b\f\n\r\t", "\u2028\u2029\u2027\u202a", "\xe2\x80", "日本語", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = string(appendValidUTF8(nil, s))
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, encoding/json gives %s", s, got, want)
		}
	})
}
