//go:build !race

package simplehandler

import (
	"net/http"
	"testing"
	"time"
)

// The race detector adds allocations, so these checks only run without it.

func TestTranslatePathAllocs(t *testing.T) {
	for _, p := range []string{"/", "/index.html", "/dir/sub/file.txt", "/dir/", "/file.txt?query=1"} {
		if n := testing.AllocsPerRun(100, func() { translatePath(p) }); n != 0 {
			t.Errorf("translatePath(%q) allocates %v times, want 0", p, n)
		}
	}
	// A path that needs decoding costs its one result string.
	if n := testing.AllocsPerRun(100, func() { translatePath("/a%20b/../c%2Fd.txt") }); n > 2 {
		t.Errorf("translatePath of an encoded path allocates %v times, want at most 2", n)
	}
}

func TestNotModifiedAllocs(t *testing.T) {
	header := http.Header{"If-Modified-Since": {"Sun, 06 Nov 1994 08:49:37 GMT"}}
	mtime := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	if n := testing.AllocsPerRun(100, func() { notModified(header, mtime) }); n != 0 {
		t.Errorf("notModified allocates %v times, want 0", n)
	}
}
