package simplehandler

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/httpserve/httpserve/listing"
)

// listFiles is a directory with dot-files, dot-directories and files of
// different sizes and times, for the listing options.
var listFiles = map[string]fileSpec{
	"a.txt":                {"aaaaaaaaaa", time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)},
	"B.txt":                {"b", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
	"c.txt":                {"ccccc", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
	"zdir/z.txt":           {"z", time.Time{}},
	".env":                 {"SECRET=1\n", time.Time{}},
	".git/config":          {"[core]\n", time.Time{}},
	"sub/.hidden.txt":      {"hidden\n", time.Time{}},
	"sub/seen.txt":         {"seen\n", time.Time{}},
	"sub/.d/inner.txt":     {"inner\n", time.Time{}},
	"withindex/index.html": {"<p>index</p>\n", time.Time{}},
	"noindex/f.txt":        {"f\n", time.Time{}},
}

// listedNames are the names a Python listing page shows, in order: those
// of its <li><a href="...">NAME</a> lines.
func listedNames(body []byte) []string {
	var out []string
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, "<li") {
			continue
		}
		_, rest, ok := strings.Cut(line, `">`)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, "</a>")
		out = append(out, name)
	}
	return out
}

func TestHideDotfiles(t *testing.T) {
	dir, hide, _ := serveFiles(t, listFiles, func(h *Handler) { h.HideDotfiles = true })
	_, show, _ := serveFiles(t, listFiles, nil)
	// The name requested decides: a link with an ordinary name is served
	// wherever it leads inside the directory (its owner made it).
	if err := os.Symlink(".env", filepath.Join(dir, "env-link")); err != nil {
		t.Skip("cannot make symlinks:", err)
	}
	if got := get(t, hide, "GET", "/env-link"); got.status != 200 || string(got.body) != "SECRET=1\n" {
		t.Errorf("/env-link: got %d %q, want 200 with the file", got.status, got.body)
	}
	for _, tc := range []struct {
		target           string
		wantHide, wantOn int // the status with and without HideDotfiles
	}{
		{"/.env", 404, 200},
		{"/.git/config", 404, 200},
		{"/.git/", 404, 200},
		{"/.git", 404, 301},
		{"/%2Egit/config", 404, 200},
		{"/%2egit/config", 404, 200},
		{"/sub/.hidden.txt", 404, 200},
		{"/sub/.d/inner.txt", 404, 200},
		{"/sub/.d/", 404, 200},
		{"/sub/./seen.txt", 200, 200}, // "." is no name
		{"/sub/../a.txt", 200, 200},   // nor is ".."
		{"/sub/seen.txt", 200, 200},
		{"/", 200, 200},
	} {
		t.Run(tc.target, func(t *testing.T) {
			if got := get(t, hide, "GET", tc.target); got.status != tc.wantHide {
				t.Errorf("hiding: got %d, want %d", got.status, tc.wantHide)
			}
			if got := get(t, show, "GET", tc.target); got.status != tc.wantOn {
				t.Errorf("not hiding: got %d, want %d", got.status, tc.wantOn)
			}
		})
	}
	for _, tc := range []struct {
		target string
		want   []string
	}{
		{"/", []string{"a.txt", "B.txt", "c.txt", "env-link@", "noindex/", "sub/", "withindex/", "zdir/"}},
		{"/sub/", []string{"seen.txt"}},
		{"/sub/?format=json", nil}, // checked below
	} {
		if tc.want == nil {
			continue
		}
		resp := get(t, hide, "GET", tc.target)
		if got := listedNames(resp.body); !slices.Equal(got, tc.want) {
			t.Errorf("%s: listed %q, want %q", tc.target, got, tc.want)
		}
		resp = get(t, show, "GET", tc.target)
		if got := listedNames(resp.body); slices.Equal(got, tc.want) {
			t.Errorf("%s without HideDotfiles: listed %q, want the dot-files too", tc.target, got)
		}
	}
	// Neither can a query bring them back.
	resp := get(t, hide, "GET", "/sub/?format=json&hidden=1")
	if strings.Contains(string(resp.body), ".hidden") || strings.Contains(string(resp.body), `".d"`) {
		t.Errorf("JSON listing shows dot-files:\n%s", resp.body)
	}
}

func TestNoListing(t *testing.T) {
	_, srv, _ := serveFiles(t, listFiles, func(h *Handler) { h.NoListing = true })
	for _, tc := range []struct {
		target     string
		wantStatus int
		wantReason string
	}{
		{"/", 403, "Directory listing is disabled"},
		{"/noindex/", 403, "Directory listing is disabled"},
		{"/noindex/?format=json", 403, "Directory listing is disabled"},
		{"/noindex", 301, ""}, // the redirect still comes first, as for any directory
		{"/withindex/", 200, ""},
		{"/noindex/f.txt", 200, ""},
	} {
		for _, method := range []string{"GET", "HEAD"} {
			resp := get(t, srv, method, tc.target)
			if resp.status != tc.wantStatus || (tc.wantReason != "" && resp.reason != tc.wantReason) {
				t.Errorf("%s %s: got %d %s, want %d %s", method, tc.target, resp.status, resp.reason, tc.wantStatus, tc.wantReason)
			}
		}
	}
}

// jsonListing is the part of the JSON listing the tests read.
type jsonListing struct {
	Path    string `json:"path"`
	Entries []struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Href string `json:"href"`
	} `json:"entries"`
}

func (l *jsonListing) names() []string {
	var out []string
	for _, e := range l.Entries {
		out = append(out, e.Name)
	}
	return out
}

func TestListingFormats(t *testing.T) {
	_, srv, _ := serveFiles(t, listFiles, nil)
	_, sorted, _ := serveFiles(t, listFiles, func(h *Handler) {
		h.Listing = listing.Options{Sort: listing.SortSize, Desc: true}
	})
	pythonOrder := []string{".env", ".git", "a.txt", "B.txt", "c.txt", "noindex", "sub", "withindex", "zdir"}
	for _, tc := range []struct {
		name      string
		srv       *testServer
		target    string
		accept    string
		wantJSON  bool
		wantPage  string // "python" or "httpserve", for HTML
		wantOrder []string
	}{
		{name: "python page", srv: srv, target: "/", wantPage: "python"},
		{name: "browser accept", srv: srv, target: "/", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", wantPage: "python"},
		{name: "unrelated query", srv: srv, target: "/?x=1", wantPage: "python"},
		{name: "json by accept", srv: srv, target: "/", accept: "application/json", wantJSON: true, wantOrder: pythonOrder},
		{name: "json by query", srv: srv, target: "/?format=json", wantJSON: true, wantOrder: pythonOrder},
		{name: "query beats accept", srv: srv, target: "/?format=html", accept: "application/json", wantPage: "python"},
		{name: "sort by size", srv: srv, target: "/?sort=size&format=json", wantJSON: true,
			wantOrder: []string{".git", "noindex", "sub", "withindex", "zdir", "B.txt", "c.txt", ".env", "a.txt"}},
		{name: "sort query gives httpserve's page", srv: srv, target: "/?sort=time&order=desc", wantPage: "httpserve"},
		{name: "server order gives httpserve's page", srv: sorted, target: "/", wantPage: "httpserve"},
		{name: "server order in json", srv: sorted, target: "/?format=json", wantJSON: true,
			wantOrder: []string{"a.txt", ".env", "c.txt", "B.txt", ".git", "noindex", "sub", "withindex", "zdir"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var header [][2]string
			if tc.accept != "" {
				header = append(header, [2]string{"Accept", tc.accept})
			}
			resp := get(t, tc.srv, "GET", tc.target, header...)
			if resp.status != 200 {
				t.Fatalf("got %d %s", resp.status, resp.reason)
			}
			if got := resp.header.Get("Vary"); got != "Accept" {
				t.Errorf("Vary: got %q, want Accept", got)
			}
			ctype := resp.header.Get("Content-type")
			if tc.wantJSON {
				if ctype != listing.JSONContentType {
					t.Fatalf("Content-type: got %q, want %q", ctype, listing.JSONContentType)
				}
				var l jsonListing
				if err := json.Unmarshal(resp.body, &l); err != nil {
					t.Fatalf("%v in\n%s", err, resp.body)
				}
				if tc.wantOrder != nil && !slices.Equal(l.names(), tc.wantOrder) {
					t.Errorf("entries: got %q, want %q", l.names(), tc.wantOrder)
				}
				return
			}
			if ctype != listing.ContentType {
				t.Fatalf("Content-type: got %q", ctype)
			}
			fancy := strings.Contains(string(resp.body), "<nav")
			if fancy != (tc.wantPage == "httpserve") {
				t.Errorf("got httpserve's page %v, want %s's:\n%s", fancy, tc.wantPage, resp.body)
			}
		})
	}
}

// TestListingParent checks that httpserve's page links to the parent
// directory everywhere but at the root.
func TestListingParent(t *testing.T) {
	_, srv, _ := serveFiles(t, listFiles, func(h *Handler) { h.Listing.DirsFirst = true })
	for target, want := range map[string]bool{"/": false, "/sub/": true, "/sub/.d/": true, "/./": false, "/sub/../": false} {
		resp := get(t, srv, "GET", target)
		if got := strings.Contains(string(resp.body), `<a href="../">`); got != want {
			t.Errorf("%s: parent link %v, want %v", target, got, want)
		}
	}
}

// TestListingHead checks that HEAD of a listing has GET's head.
func TestListingHead(t *testing.T) {
	_, srv, _ := serveFiles(t, listFiles, nil)
	for _, target := range []string{"/", "/?format=json", "/?sort=size"} {
		g, h := get(t, srv, http.MethodGet, target), get(t, srv, http.MethodHead, target)
		if !slicesEqual(g.fields, h.fields) || g.header.Get("Content-Length") != h.header.Get("Content-Length") {
			t.Errorf("%s: GET %q %s, HEAD %q %s", target, g.fields, g.header.Get("Content-Length"), h.fields, h.header.Get("Content-Length"))
		}
	}
}
