package listing

import (
	"slices"
	"testing"
)

func TestParseOptions(t *testing.T) {
	cli := Options{Sort: SortTime, Desc: true, DirsFirst: true, HideDotfiles: true} // --sort time --desc --dirs-first --hide-dotfiles
	tests := []struct {
		name     string
		query    string
		defaults Options
		want     Options
	}{
		{"empty", "", Options{}, Options{}},
		{"defaults kept", "", cli, cli},
		{"sort size", "sort=size", Options{}, Options{Sort: SortSize}},
		{"sort time desc", "sort=time&order=desc", Options{}, Options{Sort: SortTime, Desc: true}},
		{"all three", "sort=name&order=asc&dirs=first", Options{}, Options{Sort: SortName, DirsFirst: true}},
		{"over the defaults", "sort=name&order=asc&dirs=mixed", cli, Options{Sort: SortName, HideDotfiles: true}},
		{"leading ?", "?sort=size", Options{}, Options{Sort: SortSize}},
		{"case", "SORT=size&sort=SIZE&order=DESC", Options{}, Options{Sort: SortSize, Desc: true}},
		{"unknown values ignored", "sort=colour&order=up&dirs=last", cli, cli},
		{"unknown keys ignored", "format=json&q=x&C=N;O=D", cli, cli},
		{"last valid wins", "sort=size&sort=bogus&order=desc&order=asc", Options{}, Options{Sort: SortSize}},
		{"percent-encoded", "%73ort=%74ime&order=de%73c", Options{}, Options{Sort: SortTime, Desc: true}},
		{"plus is a space", "sort=size+", Options{}, Options{}},
		{"bad escape skipped", "sort=%zzsize&order=desc", Options{}, Options{Desc: true}},
		{"no value", "sort&order=&dirs", Options{}, Options{}},
		{"empty pairs", "&&sort=size&&", Options{}, Options{Sort: SortSize}},
		{"hide-dotfiles is the server's", "hide=0&dotfiles=show&HideDotfiles=false", Options{HideDotfiles: true}, Options{HideDotfiles: true}},
		{"semicolon is no separator", "sort=size;order=desc", Options{}, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseOptions(tt.query, tt.defaults); got != tt.want {
				t.Errorf("ParseOptions(%q, %+v) = %+v, want %+v", tt.query, tt.defaults, got, tt.want)
			}
		})
	}
}

// TestOptionsQueryRoundTrip checks that the sort links' query reads back
// as the options it was made from, whatever the server's defaults.
func TestOptionsQueryRoundTrip(t *testing.T) {
	for _, sort := range []string{SortName, SortSize, SortTime} {
		for _, desc := range []bool{false, true} {
			for _, dirs := range []bool{false, true} {
				o := Options{Sort: sort, Desc: desc, DirsFirst: dirs}
				for _, defaults := range []Options{{}, {Sort: SortTime, Desc: true, DirsFirst: true}} {
					if got := ParseOptions(o.query(), defaults); got != o {
						t.Errorf("ParseOptions(%q, %+v) = %+v, want %+v", o.query(), defaults, got, o)
					}
				}
			}
		}
	}
}

func TestWantsJSON(t *testing.T) {
	tests := []struct {
		query, accept string
		want          bool
	}{
		{"", "", false},
		{"", "application/json", true},
		{"", "Application/JSON", true},
		{"", "text/html", false},
		{"", "*/*", false},
		{"", "text/html,application/json;q=0.9", false},
		{"", "application/json;q=0.9,text/html;q=0.8", true},
		{"", "application/json, text/html", false}, // a tie goes to HTML
		{"", "text/html;q=0.5, application/json", true},
		{"", "application/json;q=0", false},
		{"", "application/*", true},
		{"", "application/*;q=0.5, */*;q=0.1", true},
		{"", "*/*;q=0.1, application/json", true},
		{"", "text/*, application/json;q=0.99", false},
		{"", "text/plain, application/json;q=0.5", true},                          // HTML not acceptable at all
		{"", "text/html;q=0, */*", true},                                          // anything but HTML
		{"", "application/json;q=0.5, application/*;q=1, text/html;q=0.6", false}, // the most specific range counts
		{"", "application/json;q=0.7, application/*;q=0.1, text/html;q=0.6", true},
		// A browser.
		{"", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", false},
		// curl -H 'Accept: application/json'
		{"", "application/json", true},
		// httpie's default.
		{"", "application/json, */*;q=0.5", true},
		// Whitespace, parameters, extensions, quoted strings.
		{"", " application/json ; charset=utf-8 ; q=1 ; ext=x , text/html ;q=0.5", true},
		{"", `text/html;x="a,b;q=1";q=0.1, application/json;q=0.2`, true},
		{"", `text/html;x="\"",application/json;q=0.2`, false},
		{"", "application/json;Q=0.9, text/html;q=0.8", true},
		// Malformed elements are skipped.
		{"", "application/json;q=2, text/html;q=0.1", false},
		{"", "application/json;q=1.5", false},
		{"", "application/json;q=0.1234", false},
		{"", "application/json;q=.5", false},
		{"", "application/json;q=", false},
		{"", "json, text/html;q=0.1", false},
		{"", "*/json", false},
		{"", "application/json;q=1.000", true},
		{"", "application/json;q=0.001", true},
		{"", ",,application/json,,", true},
		// The query decides first.
		{"format=json", "", true},
		{"format=json", "text/html", true},
		{"sort=size&format=JSON", "", true},
		{"format=html", "application/json", false},
		{"format=xml", "application/json", true},
		{"format=xml", "", false},
		{"formats=json", "", false},
	}
	for _, tt := range tests {
		if got := WantsJSON(tt.query, tt.accept); got != tt.want {
			t.Errorf("WantsJSON(%q, %q) = %v, want %v", tt.query, tt.accept, got, tt.want)
		}
	}
}

func TestParseQValue(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"0", 0, true},
		{"1", 1000, true},
		{"0.", 0, true},
		{"1.", 1000, true},
		{"0.5", 500, true},
		{"0.25", 250, true},
		{"0.125", 125, true},
		{"1.000", 1000, true},
		{"0.0001", 0, false},
		{"1.001", 0, false},
		{"2", 0, false},
		{".5", 0, false},
		{"0,5", 0, false},
		{"0.a", 0, false},
		{"", 0, false},
		{" 1", 0, false},
	}
	for _, tt := range tests {
		if got, ok := parseQValue(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parseQValue(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFilter(t *testing.T) {
	in := func() []Entry {
		return []Entry{
			{Name: ".git", IsDir: true},
			{Name: "a.txt"},
			{Name: ".env"},
			{Name: "b.d", IsDir: true},
			{Name: "..."},
			{Name: "x.", IsSymlink: true},
			{Name: ".link", IsSymlink: true, IsDir: true},
		}
	}
	all := names(in())
	if got := names(Filter(in(), Options{})); !slices.Equal(got, all) {
		t.Errorf("Filter without HideDotfiles = %q, want %q", got, all)
	}
	entries := in()
	got := Filter(entries, Options{HideDotfiles: true})
	if want := []string{"a.txt", "b.d", "x."}; !slices.Equal(names(got), want) {
		t.Errorf("Filter with HideDotfiles = %q, want %q", names(got), want)
	}
	// In place, the rest zeroed so that the names can be collected.
	for i, e := range entries[len(got):] {
		if e != (Entry{}) {
			t.Errorf("Filter left entry %d as %+v, want it zeroed", len(got)+i, e)
		}
	}
}
