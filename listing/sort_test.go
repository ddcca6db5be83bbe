package listing

import (
	"slices"
	"testing"
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
