package man

import (
	"bytes"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// The real page is checked against man/httpserve.1 in cmd/httpserve, which
// owns the command line; these tests use a small stand-in.
type testCLI struct {
	Port   int    `arg:"" optional:"" default:"8000" help:"bind to this port"`
	Bind   string `short:"b" placeholder:"ADDRESS" help:"bind to this address"`
	Secret bool   `hidden:"" help:"a hidden flag"`
}

func testPage(t *testing.T) string {
	t.Helper()
	var cli testCLI
	app, err := kong.New(&cli, kong.Name("demo"), kong.Description("demo a man page"),
		kong.Exit(func(int) { t.Fatal("unexpected exit()") }))
	if err != nil {
		t.Fatal(err)
	}
	return string(Page(app))
}

func TestPage(t *testing.T) {
	page := testPage(t)
	for _, want := range []string{
		".TH DEMO 1 \"\" \"demo\" \"User Commands\"\n", // no date: the output is stable
		".SH NAME\ndemo - demo a man page\n",
		"\\fB-b, --bind=ADDRESS\\fP\nbind to this address\n",
		".SH EXAMPLES\n",
		".SH ENVIRONMENT\n",
		".SH EXIT STATUS\n",
		".SH SEE ALSO\npython3(1)",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if !strings.HasPrefix(page, ".TH ") || !strings.HasSuffix(page, "\n") {
		t.Errorf("page does not start with .TH and end with a newline:\n%s", page)
	}
	if strings.Contains(page, "secret") {
		t.Errorf("page lists the hidden flag:\n%s", page)
	}
	if again := testPage(t); again != page {
		t.Errorf("two renderings differ:\n%s\n---\n%s", page, again)
	}
}

func TestFixHeading(t *testing.T) {
	got := fixHeading(".TH X 1 \"2026-11-21\" \"x\" \"desc\"\n.SH NAME\nx - desc", "x")
	want := []byte(".TH X 1 \"\" \"x\" \"User Commands\"\n.SH NAME\nx - desc\n")
	if !bytes.Equal(got, want) {
		t.Errorf("fixHeading = %q, want %q", got, want)
	}
}
