package listing

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	outside := t.TempDir() // a directory a symlink may lead to, outside the root
	dir := t.TempDir()
	mtime := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
	mustWrite(t, filepath.Join(dir, "file.txt"), "hello")
	mustMkdir(t, filepath.Join(dir, "sub"))
	mustWrite(t, filepath.Join(dir, "sub", "inner.txt"), "12345678")
	if err := os.Chtimes(filepath.Join(dir, "file.txt"), mtime, mtime); err != nil {
		t.Fatal(err)
	}
	links := [][2]string{ // name, target
		{"to-file", "file.txt"},
		{"to-dir", "sub"},
		{"dangling", "missing"},
		{"to-outside", outside},                        // absolute
		{"up-and-out", "../" + filepath.Base(outside)}, // relative, escapes
		{"absolute-inside", filepath.Join(dir, "sub")}, // absolute, back inside
		{"sub/to-parent", ".."},                        // relative, up, still inside
	}
	for _, l := range links {
		if err := os.Symlink(l[1], filepath.Join(dir, filepath.FromSlash(l[0]))); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()

	type kind struct{ isDir, isSymlink bool }
	tests := []struct {
		dir  string
		want map[string]kind
	}{
		{".", map[string]kind{
			"file.txt":        {false, false},
			"sub":             {true, false},
			"to-file":         {false, true},
			"to-dir":          {true, true},
			"dangling":        {false, true},
			"to-outside":      {false, true},
			"up-and-out":      {false, true},
			"absolute-inside": {false, true}, // os.Root follows no absolute link
		}},
		{"sub", map[string]kind{
			"inner.txt": {false, false},
			"to-parent": {true, true},
		}},
	}
	for _, tt := range tests {
		for _, read := range []struct {
			name string
			f    func(*os.Root, string) ([]Entry, error)
		}{{"Read", Read}, {"ReadNames", ReadNames}} {
			t.Run(read.name+"/"+tt.dir, func(t *testing.T) {
				entries, err := read.f(root, tt.dir)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]kind{}
				for _, e := range entries {
					got[e.Name] = kind{e.IsDir, e.IsSymlink}
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("%s(%q) = %v, want %v", read.name, tt.dir, got, tt.want)
				}
			})
		}
	}

	entries, err := Read(root, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name {
		case "file.txt", "to-file": // a link that resolves reports its target
			if e.Size != 5 || !e.ModTime.Equal(mtime) {
				t.Errorf("%s: size %d, mtime %v; want 5, %v", e.Name, e.Size, e.ModTime, mtime)
			}
		case "dangling": // the link itself
			if e.Size != int64(len("missing")) {
				t.Errorf("%s: size %d, want %d", e.Name, e.Size, len("missing"))
			}
		}
	}
}

// TestReadNonUTF8 reads a name that is not UTF-8 and renders it: the link
// keeps the raw byte, the text shows U+FFFD.
func TestReadNonUTF8(t *testing.T) {
	dir := t.TempDir()
	name := "\xff\xfe<x>.txt"
	if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
		t.Skipf("the file system refuses non-UTF-8 names: %v", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	entries, err := Read(root, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name != name {
		t.Fatalf("Read = %+v, want one entry named %q", entries, name)
	}
	p := Page{Path: "/", Entries: entries}
	out, err := p.AppendPythonHTML(nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "<li><a href=\"%FF%FE%3Cx%3E.txt\">\uFFFD\uFFFD&lt;x&gt;.txt</a></li>\n"
	if !contains(out, want) {
		t.Errorf("page does not contain %q:\n%s", want, out)
	}
}

// TestReadManyEntries reads more entries than one ReadDir batch.
func TestReadManyEntries(t *testing.T) {
	dir := t.TempDir()
	const n = batchSize + 10
	for i := range n {
		mustWrite(t, filepath.Join(dir, fmt.Sprintf("f%05d", i)), "")
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	entries, err := Read(root, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Fatalf("Read returned %d entries, want %d", len(entries), n)
	}
	Sort(entries)
	for i, e := range entries {
		if want := fmt.Sprintf("f%05d", i); e.Name != want {
			t.Fatalf("entry %d is %q, want %q", i, e.Name, want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "file.txt"), "x")
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	tests := []struct {
		name, dir string
		is        error // nil: any error
	}{
		{"missing", "missing", fs.ErrNotExist},
		{"file", "file.txt", nil},
		{"escapes", "..", nil},
		{"absolute", "/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := Read(root, tt.dir)
			if err == nil {
				t.Fatalf("Read(%q) = %v, want an error", tt.dir, entries)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Read(%q): %v, want %v", tt.dir, err, tt.is)
			}
		})
	}
}

func mustWrite(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustMkdir(t *testing.T, name string) {
	t.Helper()
	if err := os.Mkdir(name, 0o755); err != nil {
		t.Fatal(err)
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
