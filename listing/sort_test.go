package listing

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSort(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{
			name: "case-insensitive",
			in:   []string{"b", "C", "a", "B2", "_x", "Z"},
			want: []string{"_x", "a", "b", "B2", "C", "Z"}, // "_" < "a" as in Python
		},
		{
			// Python keeps file system order here; Sort uses the bytes.
			name: "ties ignoring case",
			in:   []string{"readme", "README", "b", "Readme", "a"},
			want: []string{"a", "b", "README", "Readme", "readme"},
		},
		{
			// Each invalid byte lowers to U+FFFD, so the three names
			// share the key "\uFFFD.txt"; the raw bytes break the tie.
			name: "invalid utf-8",
			in:   []string{"\xff.txt", "z", "\xfe.txt", "\uFFFD.txt", "a"},
			want: []string{"a", "z", "\uFFFD.txt", "\xfe.txt", "\xff.txt"},
		},
		{
			name: "python lowering",
			in:   []string{"οδοσ 1", "ΟΔΟΣ 2", "ib", "İa"},
			want: []string{"ib", "İa", "ΟΔΟΣ 2", "οδοσ 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := make([]Entry, len(tt.in))
			for i, name := range tt.in {
				entries[i] = Entry{Name: name}
			}
			Sort(entries)
			got := make([]string, len(entries))
			for i, e := range entries {
				got[i] = e.Name
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sort(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSortKeepsEntries checks that Sort moves whole entries, not names.
func TestSortKeepsEntries(t *testing.T) {
	entries := []Entry{
		{Name: "b", Size: 2, IsDir: true},
		{Name: "A", Size: 1, IsSymlink: true},
	}
	Sort(entries)
	want := []Entry{
		{Name: "A", Size: 1, IsSymlink: true},
		{Name: "b", Size: 2, IsDir: true},
	}
	if !slices.Equal(entries, want) {
		t.Errorf("Sort = %+v, want %+v", entries, want)
	}
}

func TestSortBy(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entries := []Entry{
		{Name: "b.txt", Size: 300, ModTime: t0.Add(2 * time.Hour)},
		{Name: "A.txt", Size: 100, ModTime: t0.Add(3 * time.Hour)},
		{Name: "c.txt", Size: 100, ModTime: t0.Add(1 * time.Hour)},
		{Name: "Dir", IsDir: true, Size: 4096, ModTime: t0.Add(4 * time.Hour)},
		{Name: "zdir", IsDir: true, Size: 64, ModTime: t0},
		{Name: "link", IsDir: true, IsSymlink: true, Size: 4096, ModTime: t0.Add(5 * time.Hour)},
		{Name: "empty", Size: 0, ModTime: t0.Add(2 * time.Hour)},
	}
	tests := []struct {
		sort      string
		desc      bool
		dirsFirst bool
		want      []string
	}{
		{SortName, false, false, []string{"A.txt", "b.txt", "c.txt", "Dir", "empty", "link", "zdir"}},
		{SortName, true, false, []string{"zdir", "link", "empty", "Dir", "c.txt", "b.txt", "A.txt"}},
		{SortName, false, true, []string{"Dir", "link", "zdir", "A.txt", "b.txt", "c.txt", "empty"}},
		{SortName, true, true, []string{"zdir", "link", "Dir", "empty", "c.txt", "b.txt", "A.txt"}},
		// Directories have no size: they count as smaller than any
		// file, and equal sizes go by name, ascending.
		{SortSize, false, false, []string{"Dir", "link", "zdir", "empty", "A.txt", "c.txt", "b.txt"}},
		{SortSize, true, false, []string{"b.txt", "A.txt", "c.txt", "empty", "Dir", "link", "zdir"}},
		{SortSize, false, true, []string{"Dir", "link", "zdir", "empty", "A.txt", "c.txt", "b.txt"}},
		{SortSize, true, true, []string{"Dir", "link", "zdir", "b.txt", "A.txt", "c.txt", "empty"}},
		{SortTime, false, false, []string{"zdir", "c.txt", "b.txt", "empty", "A.txt", "Dir", "link"}},
		{SortTime, true, false, []string{"link", "Dir", "A.txt", "b.txt", "empty", "c.txt", "zdir"}},
		{SortTime, false, true, []string{"zdir", "Dir", "link", "c.txt", "b.txt", "empty", "A.txt"}},
		{SortTime, true, true, []string{"link", "Dir", "zdir", "A.txt", "b.txt", "empty", "c.txt"}},
		// An unknown key is the name.
		{"", false, false, []string{"A.txt", "b.txt", "c.txt", "Dir", "empty", "link", "zdir"}},
		{"colour", true, false, []string{"zdir", "link", "empty", "Dir", "c.txt", "b.txt", "A.txt"}},
	}
	for _, tt := range tests {
		o := Options{Sort: tt.sort, Desc: tt.desc, DirsFirst: tt.dirsFirst}
		t.Run(fmt.Sprintf("%s desc=%v dirs-first=%v", tt.sort, tt.desc, tt.dirsFirst), func(t *testing.T) {
			// Every rotation of the input gives the same order.
			for r := range entries {
				in := append(slices.Clone(entries[r:]), entries[:r]...)
				SortBy(in, o)
				if got := names(in); !slices.Equal(got, tt.want) {
					t.Fatalf("SortBy(rotation %d, %+v) = %q, want %q", r, o, got, tt.want)
				}
			}
		})
	}
}

// TestSortByStable checks that entries of equal names (which a directory
// cannot hold, but a caller's slice can) keep their order, both ways.
func TestSortByStable(t *testing.T) {
	for _, o := range []Options{{}, {Desc: true}, {Sort: SortSize, Desc: true}, {Sort: SortTime}} {
		// The x entries differ only in a field o does not sort by.
		x := func(id int64) Entry {
			if o.Sort == SortTime {
				return Entry{Name: "x", Size: id}
			}
			return Entry{Name: "x", ModTime: time.Unix(id, 0)}
		}
		in := []Entry{{Name: "b"}, x(1), {Name: "a"}, x(2), x(3)}
		SortBy(in, o)
		var ids []int64
		for _, e := range in {
			switch {
			case e.Name != "x":
			case o.Sort == SortTime:
				ids = append(ids, e.Size)
			default:
				ids = append(ids, e.ModTime.Unix())
			}
		}
		if !slices.Equal(ids, []int64{1, 2, 3}) {
			t.Errorf("SortBy(%+v): equal names in order %v, want [1 2 3]", o, ids)
		}
	}
}

// TestLowerKeys checks that the keys cut from one string are lowerKey's.
func TestLowerKeys(t *testing.T) {
	var entries []Entry
	for _, name := range []string{"", "ABC", "abc", "İ", "ΟΔΟΣ 2", "\xff", "Ⱥ", "MiXeD.TXT"} {
		entries = append(entries, Entry{Name: name})
	}
	for i, k := range lowerKeys(entries) {
		if want := lowerKey(entries[i].Name); k != want {
			t.Errorf("lowerKeys: %q for %q, want %q", k, entries[i].Name, want)
		}
		if want := strings.ToLower(entries[i].Name); k != want && !strings.ContainsAny(entries[i].Name, "İΣ") {
			t.Errorf("lowerKey(%q) = %q, strings.ToLower gives %q", entries[i].Name, k, want)
		}
	}
}

func names(entries []Entry) []string {
	s := make([]string, len(entries))
	for i, e := range entries {
		s[i] = e.Name
	}
	return s
}
