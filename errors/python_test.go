package errors

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"strconv"
	"testing"
)

// These tests compare the package with CPython 3.11 itself, so they need
// python3 on PATH and fail, rather than skip, without it: a silent skip
// would let the table or the page drift from Python unnoticed.

// pythonCheck is prepended to every script: the table and the pages are
// Python 3.11's, and another version would fail for the wrong reason.
const pythonCheck = `import sys
if sys.version_info[:2] != (3, 11):
    sys.exit("python3 is %s; these tests need Python 3.11" % sys.version.split()[0])
`

// runPython runs script with python3, feeding it stdin, and returns its
// standard output.
func runPython(t *testing.T, script string, stdin []byte) []byte {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to compare with Python's http.server: %v", err)
	}
	cmd := exec.CommandContext(t.Context(), py, "-I", "-c", pythonCheck+script)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.Bytes())
	}
	return out
}

// TestTableMatchesPython checks that status.go holds exactly the codes of
// Python's http.HTTPStatus, with the same phrases and descriptions. If it
// fails, run go generate.
func TestTableMatchesPython(t *testing.T) {
	out := runPython(t, `
import http, json
json.dump({s.value: [s.phrase, s.description] for s in http.HTTPStatus}, sys.stdout)
`, nil)
	var want map[string][2]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("decoding python3's table: %v\n%s", err, out)
	}
	for key, w := range want {
		code, err := strconv.Atoi(key)
		if err != nil {
			t.Fatalf("python3 gave code %q: %v", key, err)
		}
		got, ok := statuses[code]
		if !ok {
			t.Errorf("code %d (%q) is missing from the table", code, w[0])
			continue
		}
		if got.phrase != w[0] || got.description != w[1] {
			t.Errorf("code %d: table has (%q, %q), Python has (%q, %q)",
				code, got.phrase, got.description, w[0], w[1])
		}
	}
	for code := range statuses {
		if _, ok := want[strconv.Itoa(code)]; !ok {
			t.Errorf("code %d is in the table but not in Python's http.HTTPStatus", code)
		}
	}
}

// pageScript makes Python's real BaseHTTPRequestHandler.send_error answer
// each case, and prints the bodies it wrote. Messages arrive as hex of
// Go's bytes and are decoded with errors='replace', the mapping from Go
// strings to Python ones that AppendPage promises; null means "let
// send_error pick the default". Only send_response_only is replaced,
// and only for the status line; the body is send_error's own.
const pageScript = `
import io, json
from http.server import BaseHTTPRequestHandler

def text(h):
    return None if h is None else bytes.fromhex(h).decode('utf-8', 'replace')

bodies = []
for c in json.load(sys.stdin):
    h = BaseHTTPRequestHandler.__new__(BaseHTTPRequestHandler)
    h.wfile = io.BytesIO()
    h.request_version = 'HTTP/1.0'
    h.requestline = 'GET / HTTP/1.0'
    h.command = 'GET'
    h.client_address = ('127.0.0.1', 0)
    h.log_message = lambda *args: None
    # The real send_response_only encodes the reason phrase as strict
    # latin-1, so Python raises UnicodeEncodeError instead of answering
    # when the message holds U+FFFD or CJK; the status line is not what
    # this test checks, so it goes out without a phrase.
    h.send_response_only = (lambda h: lambda code, message=None:
        BaseHTTPRequestHandler.send_response_only(h, code, ''))(h)
    h.send_error(c['code'], text(c['message']), text(c['explain']))
    head, sep, body = h.wfile.getvalue().partition(b'\r\n\r\n')
    assert sep, 'no end of headers'
    assert b'\r\nContent-Type: text/html;charset=utf-8\r\n' in head, head
    bodies.append(body.hex())
json.dump(bodies, sys.stdout)
`

// pageCases are (code, message, explain) triples; a nil message or
// explain leaves the default to send_error, and to defaults on our side.
var pageCases = []struct {
	name             string
	code             int
	message, explain *string
}{
	{"404 defaults", 404, nil, nil},
	{"404 file not found", 404, ptr("File not found"), nil},
	{"400 with an invalid byte", 400, ptr("Bad request version ('HTTP/1.1\xff')"), nil},
	{"501 unsupported", 501, ptr("Unsupported method ('BREW')"), nil},
	{"418 apostrophe", 418, nil, nil},
	{"429 quotes", 429, nil, nil},
	{"422 empty description", 422, nil, nil},
	{"599 unknown", 599, nil, nil},
	{"999 unknown with message", 999, ptr("Custom"), nil},
	{"hostile", 403, ptr(`<script>&"'</script>`), ptr(`<b>&amp;"'</b> > <`)},
	{"non-ASCII", 404, ptr("é日本"), ptr("ça 日本語 🐍")},
	{"invalid UTF-8", 404, ptr("\xff"), ptr("a\xffb\xfe")},
	{"invalid sequences", 500,
		ptr("\xff\xff|\xe6\x97|\xe6\x97A|\xed\xa0\x80|\xf4\x90\x80\x80|\xc0\xaf|\xe0\x80\xaf"),
		ptr("\xf0\x9f\x98|\xf0\x9f\x98\xff|\xe0\xa0|\x80|\xef\xbf\xbd|\xf0\x9f\x90\x8d")},
	{"empty", 500, ptr(""), ptr("")},
	{"empty message only", 500, ptr(""), nil},
	{"control characters", 400, ptr("a\x00b\tc\r\nd\x7f"), ptr("\u2028\ufeff")},
	{"entities", 400, ptr("&amp; &lt; &#39; &"), ptr("&&&<<<>>>")},
	{"200", 200, nil, nil},
	{"large code", 12345, nil, nil},
}

func ptr(s string) *string { return &s }

// defaults does what AppendPage asks of its caller (and send_error does
// itself): fill in an absent message or explanation from the table, or
// with "???" for a code Python does not know.
func defaults(code int, message, explain *string) (string, string) {
	short, long := Phrase(code), Explain(code)
	if short == "" {
		short, long = "???", "???"
	}
	if message != nil {
		short = *message
	}
	if explain != nil {
		long = *explain
	}
	return short, long
}

// TestPageMatchesPython checks that AppendPage is byte for byte the body
// Python's send_error sends.
func TestPageMatchesPython(t *testing.T) {
	type pyCase struct {
		Code    int     `json:"code"`
		Message *string `json:"message"`
		Explain *string `json:"explain"`
	}
	hexOf := func(s *string) *string {
		if s == nil {
			return nil
		}
		return ptr(hex.EncodeToString([]byte(*s)))
	}
	in := make([]pyCase, len(pageCases))
	for i, c := range pageCases {
		in[i] = pyCase{c.code, hexOf(c.message), hexOf(c.explain)}
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	out := runPython(t, pageScript, stdin)
	if err := json.Unmarshal(out, &bodies); err != nil {
		t.Fatalf("decoding python3's pages: %v\n%s", err, out)
	}
	if len(bodies) != len(pageCases) {
		t.Fatalf("python3 rendered %d pages for %d cases", len(bodies), len(pageCases))
	}
	for i, c := range pageCases {
		t.Run(c.name, func(t *testing.T) {
			want, err := hex.DecodeString(bodies[i])
			if err != nil {
				t.Fatal(err)
			}
			message, explain := defaults(c.code, c.message, c.explain)
			got := AppendPage(nil, c.code, message, explain)
			if !bytes.Equal(got, want) {
				t.Errorf("AppendPage(%d, %q, %q) differs from Python's page\ngot:\n%s\nwant:\n%s",
					c.code, message, explain, got, want)
			}
		})
	}
}
