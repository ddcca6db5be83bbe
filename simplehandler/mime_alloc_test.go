//go:build !race

package simplehandler

import "testing"

// The race detector adds allocations, so these checks only run without it.

func TestContentTypeAllocs(t *testing.T) {
	for _, name := range []string{"a.html", "a.HTML", "/srv/www/style.css", "photo.JPG", "x.tar.br", "a.b.GZ", "a.\u212aml", "Makefile"} {
		if n := testing.AllocsPerRun(100, func() {
			ct, _ := GuessType(name)
			WithCharset(ct)
		}); n != 0 {
			t.Errorf("WithCharset(GuessType(%q)) allocates %v times, want 0", name, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { ContentType("index.html", nil) }); n != 0 {
		t.Errorf("ContentType(%q) allocates %v times, want 0", "index.html", n)
	}
}
