//go:build !race

package listing

import (
	"fmt"
	"testing"
	"time"
)

// TestAllocsPerEntry checks the promise of page.go and sort.go: sorting
// and rendering take a fixed number of allocations, however many entries
// the page has (none per entry). The race detector allocates on its own,
// hence the build tag.
func TestAllocsPerEntry(t *testing.T) {
	mtime := time.Date(2026, 11, 21, 16, 19, 40, 0, time.UTC)
	page := func(n int) *Page {
		p := &Page{Path: "/dir/", Parent: true, Options: Options{Sort: SortTime, Desc: true, DirsFirst: true}}
		for i := range n {
			p.Entries = append(p.Entries, Entry{
				Name:    fmt.Sprintf("Été & Co <%d>.JPG", (i*7919)%n),
				IsDir:   i%7 == 0,
				Size:    int64(i) << 10,
				ModTime: mtime.Add(time.Duration(i%100) * time.Hour),
			})
		}
		return p
	}
	renders := []struct {
		name string
		f    func(*Page, []byte) ([]byte, error)
	}{
		{"AppendPythonHTML", (*Page).AppendPythonHTML},
		{"AppendHTML", (*Page).AppendHTML},
		{"AppendJSON", (*Page).AppendJSON},
	}
	for _, r := range renders {
		allocs := func(p *Page) float64 {
			buf, err := r.f(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			return testing.AllocsPerRun(10, func() {
				if _, err := r.f(p, buf[:0]); err != nil {
					t.Fatal(err)
				}
			})
		}
		small, large := allocs(page(10)), allocs(page(2000))
		if small != large {
			t.Errorf("%s: %v allocations for 10 entries, %v for 2000, want the same", r.name, small, large)
		}
		t.Logf("%s: %v allocations a page", r.name, large)
	}

	sortAllocs := func(p *Page) float64 {
		return testing.AllocsPerRun(10, func() { SortBy(p.Entries, p.Options) })
	}
	if small, large := sortAllocs(page(10)), sortAllocs(page(2000)); small != large {
		t.Errorf("SortBy: %v allocations for 10 entries, %v for 2000, want the same", small, large)
	}
}
