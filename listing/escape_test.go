package listing

import "testing"

// TestHrefUnchanged checks that both pages write every href exactly as
// appendQuoted made it, for names holding each byte value, and that a
// scraper reads it back whole: quote leaves nothing that could end or
// change the attribute.
func TestHrefUnchanged(t *testing.T) {
	for c := range 256 {
		for _, isDir := range []bool{false, true} {
			e := Entry{Name: string([]byte{'%', c2(c), '+', byte(c), '&'}), IsDir: isDir}
			p := Page{Path: "/", Entries: []Entry{e}, Parent: true}
			want := string(appendQuoted(nil, e.Name))
			if isDir {
				want += "/"
			}
			for name, render := range map[string]func(*Page, []byte) ([]byte, error){
				"AppendPythonHTML": (*Page).AppendPythonHTML,
				"AppendHTML":       (*Page).AppendHTML,
			} {
				out, err := render(&p, nil)
				if err != nil {
					t.Fatal(err)
				}
				links := pageLinks(out)
				if len(links) != 1 || links[0][0] != want {
					t.Errorf("%s: name %q: links %q, want href %q", name, e.Name, links, want)
				}
			}
		}
	}
}

// c2 is a byte that makes %XX look like an escape for some c.
func c2(c int) byte { return "0123456789ABCDEF"[c&0xF] }

func TestAppendDisplayPath(t *testing.T) {
	// Cases where Python's output is not UTF-8 or Python fails, so
	// TestMatchesPython cannot cover them.
	tests := []struct {
		name, path, want string
	}{
		{"surrogate escape", "/%ED%B3%BF/", "/\uFFFD/"},                              // Python: raw byte FF
		{"high surrogate", "/%ED%A0%80", "/\uFFFD"},                                  // Python: UnicodeEncodeError
		{"surrogate and text", "/a%ED%B2%80b%3C", "/a\uFFFDb&lt;"},                   // Python: raw byte 80
		{"surrogates in two runs", "/%ED%B3%BF\xe9%ED%B3%BF", "/\uFFFD\u00e9\uFFFD"}, // Latin-1 between
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendDisplayPath(nil, tt.path)); got != tt.want {
				t.Errorf("appendDisplayPath(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestAppendEscapedName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "a.txt", "a.txt"},
		{"html", `<a href="x">&amp;</a>`, `&lt;a href="x"&gt;&amp;amp;&lt;/a&gt;`},
		{"invalid byte", "\xff.txt", "\uFFFD.txt"},
		{"truncated sequence", "\xe6\x97A", "\uFFFDA"},
		{"encoded surrogate", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"overlong", "\xc0\xaf", "\uFFFD\uFFFD"},
		{"invalid then escape", "\xff<", "\uFFFD&lt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendEscapedName(nil, tt.in)); got != tt.want {
				t.Errorf("appendEscapedName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
