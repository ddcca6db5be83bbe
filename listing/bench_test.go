package listing

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkListing100k lists a directory of 100,000 entries on disk the
// whole way a handler does, next to net/http.FileServer listing the same
// directory in the same run:
//
//   - python: Read, Sort, AppendPythonHTML (Python's page);
//   - page: Read, Filter, SortBy, AppendHTML (httpserve's page, by size
//     descending, directories first, so the sort does real work);
//   - json: Read, SortBy, AppendJSON;
//   - net-http: http.FileServer(http.Dir(dir)) answering GET / into an
//     httptest.ResponseRecorder (its dirList).
//
// The directory is built once per run in a temporary directory: photo
// names (IMG_nnnnn.jpg), one in ten needing escaping in both the link
// and the text (a space, an &, non-ASCII letters), one in twenty a
// directory, created in a scrambled order. Each iteration renders into
// a new buffer, as the handler does for a page too large for its pool.
//
// Besides ns/op (wall time), each reports cpu-ns/op, the CPU time of the
// whole process per listing: on a shared machine other processes stretch
// the wall time, not the CPU time.
//
// The comparison is not like for like in net/http's favour: dirList
// calls ReadDir, which on Linux costs one getdents per batch and no stat
// at all, and writes names only; Read stats every entry (fstatat, once)
// for the size and time that the page and JSON show, and Python's page
// needs it too, to know directories behind symlinks.
func BenchmarkListing100k(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	for i := range n {
		k := (i * 7919) % n // a permutation of 0..n-1
		name := fmt.Sprintf("IMG_%05d.jpg", k)
		if k%10 == 0 {
			name = fmt.Sprintf("Été & co %05d.jpg", k)
		}
		p := filepath.Join(dir, name)
		var err error
		if k%20 == 5 {
			err = os.Mkdir(p, 0o755)
		} else {
			err = os.WriteFile(p, nil, 0o644)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()

	order := Options{Sort: SortSize, Desc: true, DirsFirst: true, HideDotfiles: true}
	ours := []struct {
		name   string
		read   func(*os.Root, string) ([]Entry, error)
		render func(entries []Entry) ([]byte, error)
	}{
		{"python", ReadNames, func(entries []Entry) ([]byte, error) {
			Sort(entries)
			return (&Page{Path: "/photos/", Entries: entries}).AppendPythonHTML(nil)
		}},
		{"page", Read, func(entries []Entry) ([]byte, error) {
			entries = Filter(entries, order)
			SortBy(entries, order)
			return (&Page{Path: "/photos/", Entries: entries, Options: order, Parent: true}).AppendHTML(nil)
		}},
		{"json", Read, func(entries []Entry) ([]byte, error) {
			SortBy(entries, order)
			return (&Page{Path: "/photos/", Entries: entries, Options: order}).AppendJSON(nil)
		}},
	}
	for _, r := range ours {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				entries, err := r.read(root, ".")
				if err != nil {
					b.Fatal(err)
				}
				if len(entries) != n {
					b.Fatalf("Read returned %d entries, want %d", len(entries), n)
				}
				page, err := r.render(entries)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(page)))
			}
		})
	}

	b.Run("net-http", func(b *testing.B) {
		h := http.FileServer(http.Dir(dir))
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("net/http answered %d", rec.Code)
			}
			b.SetBytes(int64(rec.Body.Len()))
		}
	})
}

// reportCPU reports the CPU time used since start, per iteration.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 && b.N > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
