package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/httpserve/httpserve/man"
)

// TestManPage fails when the committed man/httpserve.1 no longer matches
// the command line; go test -update rewrites it.
func TestManPage(t *testing.T) {
	page := man.Page(mustParser(t, new(CLI)))
	checkGolden(t, filepath.Join("..", "..", "man", "httpserve.1"), page)

	// --man prints the same page.
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--man"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--man: exit status %d, stderr:\n%s", code, stderr.String())
	}
	if !bytes.Equal(stdout.Bytes(), page) {
		t.Errorf("--man printed a different page from man.Page:\n%s", stdout.String())
	}
	if bytes.Contains(page, []byte(`\fB--man`)) {
		t.Errorf("the man page lists the hidden --man flag")
	}
}
