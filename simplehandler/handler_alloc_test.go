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

func TestCheckPreconditionsAllocs(t *testing.T) {
	header := http.Header{
		"If-None-Match":     {`"a", W/"b", "17a-d-5b2"`},
		"If-Modified-Since": {"Sun, 06 Nov 1994 08:49:37 GMT"},
		"If-Range":          {`"17a-d-5b2"`},
	}
	v := validators{etag: `"17a-d-5b2"`, modtime: time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)}
	if n := testing.AllocsPerRun(100, func() { checkPreconditions(header, http.MethodGet, v); checkIfRange(header, v) }); n != 0 {
		t.Errorf("checkPreconditions allocates %v times, want 0", n)
	}
}

func TestParseRangeAllocs(t *testing.T) {
	var buf [2]httpRange
	for _, s := range []string{"bytes=0-99", "bytes=-500", "bytes=100-", "bytes=0-0,-1"} {
		if n := testing.AllocsPerRun(100, func() { parseRange(s, 1<<20, buf[:0]) }); n != 0 {
			t.Errorf("parseRange(%q) allocates %v times, want 0", s, n)
		}
	}
}

func TestParseAcceptEncodingAllocs(t *testing.T) {
	lines := []string{"gzip, deflate, br, zstd"}
	if n := testing.AllocsPerRun(100, func() { parseAcceptEncoding(lines) }); n != 0 {
		t.Errorf("parseAcceptEncoding allocates %v times, want 0", n)
	}
}
