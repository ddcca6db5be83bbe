package cgihandler

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/httpserve/httpserve/basehandler"
)

// Fuzz targets for the parsers of the script's answer (readHeader,
// parseStatusLine) and of the request path (collapsePath). Each is
// checked against a reference written here in a different style, and
// against invariants that hold whatever the reference says.

// fuzzToken is a field name (RFC 9110 section 5.6.2).
var fuzzToken = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// fuzzStatus is a Status value: a three-digit code, then optionally a
// space or tab and a reason phrase. fuzzLength is a Content-Length.
var (
	fuzzStatus = regexp.MustCompile(`^([0-9]{3})(?:[ \t](.*))?$`)
	fuzzLength = regexp.MustCompile(`^[0-9]{1,18}$`)
)

// fuzzValidValue reports whether v may be a field value: no control
// character but HT, no DEL.
func fuzzValidValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == 0x7f || c < 0x20 && c != '\t' {
			return false
		}
	}
	return true
}

// refReadHeader is the header block of RFC 3875 section 6 as readHeader's
// documentation describes it, read from the whole output at once. outcome
// is "ok", "eof" (no empty line before the end) or "malformed"; rest is
// what follows the empty line.
func refReadHeader(out string) (h cgiHeader, rest, outcome string) {
	seenLength := ""
	for n := 0; ; n++ {
		// A line, its LF included, must fit the reader's buffer.
		nl := strings.IndexByte(out, '\n')
		if nl >= outBufSize || nl < 0 && len(out) >= outBufSize {
			return h, "", "malformed"
		}
		if nl < 0 {
			return h, "", "eof"
		}
		line := strings.TrimSuffix(out[:nl], "\r")
		out = out[nl+1:]
		if line == "" {
			return h, out, "ok"
		}
		if n >= maxHeaderFields {
			return h, "", "malformed"
		}
		colon := strings.IndexByte(line, ':')
		if colon < 0 || !fuzzToken.MatchString(line[:colon]) {
			return h, "", "malformed"
		}
		name, value := line[:colon], strings.Trim(line[colon+1:], " \t")
		if !fuzzValidValue(value) {
			return h, "", "malformed"
		}
		switch strings.ToLower(name) {
		case "status":
			m := fuzzStatus.FindStringSubmatch(value)
			if h.status != 0 || m == nil {
				return h, "", "malformed"
			}
			code, _ := strconv.Atoi(m[1])
			if code < 200 || code > 599 {
				return h, "", "malformed"
			}
			// parseStatus trims Unicode white space from the reason
			// (U+0085 and U+00A0 too), not only SP and HTAB.
			h.status, h.reason = code, strings.TrimSpace(m[2])
		case "location":
			if h.location != "" || value == "" {
				return h, "", "malformed"
			}
			h.location = value
			h.fields = append(h.fields, field{name, value})
		case "content-length":
			if !fuzzLength.MatchString(value) || seenLength != "" && seenLength != value {
				return h, "", "malformed"
			}
			if seenLength == "" {
				seenLength = value
				h.fields = append(h.fields, field{name, value})
			}
		case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "server", "date":
		default:
			h.fields = append(h.fields, field{name, value})
		}
	}
}

// outcomeOf classifies readHeader's error as refReadHeader does.
func outcomeOf(t *testing.T, err error) string {
	switch {
	case err == nil:
		return "ok"
	case err == errHeaderEOF:
		return "eof"
	case errors.Is(err, errMalformed):
		return "malformed"
	}
	t.Fatalf("readHeader: unexpected error %v", err)
	return ""
}

// piecesReader reads from r in pieces of 1, 2, ... 13 bytes, over and
// over, as a script's output may come through a pipe.
type piecesReader struct {
	r io.Reader
	n int
}

func (p *piecesReader) Read(b []byte) (int, error) {
	p.n = p.n%13 + 1
	return p.r.Read(b[:min(len(b), p.n)])
}

// FuzzReadHeader feeds arbitrary bytes to readHeader as a script's
// output. It must agree with refReadHeader on the outcome, the status,
// the Location, the fields passed through and where the body starts,
// however the output arrives (all at once or in pieces); what it
// accepts must be a header block textproto.ReadMIMEHeader reads the same
// way; and no field it passes on may be malformed or one the server owns.
func FuzzReadHeader(f *testing.F) {
	for _, s := range []string{
		"",
		"\n",
		"\r\n",
		"Content-Type: text/html\n\n<p>hi</p>\n",
		"Content-Type: text/plain\r\nStatus: 404 Not Found\r\n\r\nnope",
		"Status: 200\n\n",
		"Status: 201\tCreated \n\n",
		"Status: 200 OK\u00a0\n\n",
		"Status: 200\u0085\n\n",
		"Status: 100 Continue\n\n",
		"Status: 600\n\n",
		"Status: 2000\n\n",
		"Status: +20\n\n",
		"Status: 200 OK\nStatus: 404\n\n",
		"Location: /index.html\n\n",
		"Location: http://example.com/\nStatus: 301 Moved\n\n",
		"Location: \n\n",
		"Location: /a\nLocation: /b\n\n",
		"Content-Length: 3\n\nabc",
		"Content-Length: 3\nContent-Length: 3\n\nabc",
		"Content-Length: 3\nContent-Length: 03\n\nabc",
		"Content-Length: -1\n\n",
		"Content-Length: 1234567890123456789\n\n",
		"Connection: close\nTransfer-Encoding: chunked\nServer: evil\nDate: x\nTE: trailers\nUpgrade: h2c\n\n",
		"X-A: 1\n continued\n\n",
		"Content Type: text/plain\n\n",
		"Content-Type text/plain\n\n",
		": empty name\n\n",
		"X-A: a\x00b\n\n",
		"X-A: a\rb\n\n",
		"X-A: a\r\r\n\r\n",
		"X-A: \x7f\n\n",
		"X-A: caf\xc3\xa9 \xff\n\n",
		"X-A:\t \n\n",
		"X-A: 1\nX-A: 2\n\n",
		"X-Empty:\n\nbody\r\nmore",
		"Content-Type: text/plain\n",
		"Content-Type: text/plain",
		"\xef\xbb\xbfContent-Type: text/plain\n\n",
	} {
		f.Add([]byte(s), uint16(0), []byte(nil), uint16(0))
	}
	// Lines about as long as the reader's buffer: "X-A: " and pad bytes
	// "a" make a line of outBufSize bytes, LF included, with pad
	// outBufSize-6, and one too long with pad outBufSize-5.
	for _, pad := range []int{outBufSize - 6, outBufSize - 5} {
		f.Add([]byte("X-A: \n\n"), uint16(5), []byte("a"), uint16(pad))
		f.Add([]byte("X-A: "), uint16(5), []byte("a"), uint16(pad))
		f.Add([]byte("X-A: \r\n\r\nbody"), uint16(5), []byte("a"), uint16(pad))
	}
	// As many fields as allowed, and one more.
	for _, n := range []int{maxHeaderFields, maxHeaderFields + 1} {
		f.Add([]byte("\n"), uint16(0), []byte("X-A: 1\n"), uint16(n))
		f.Add([]byte("Status: 200\n\nbody"), uint16(0), []byte("X-A: 1\n"), uint16(n-1))
		f.Add([]byte("Connection: close\r\n\r\n"), uint16(0), []byte("Server: x\r\n"), uint16(n-1))
	}
	f.Fuzz(func(t *testing.T, out []byte, at uint16, unit []byte, pad uint16) {
		// Long outputs are made here, pad copies of unit inserted at at,
		// rather than held in the corpus: the fuzzer's minimizer removes
		// bytes one at a time, which takes minutes for a 32 KiB input
		// and moments for a number.
		if len(unit) > 0 && pad > 0 {
			i := int(at) % (len(out) + 1)
			n := min(int(pad), 2*outBufSize/len(unit))
			out = slices.Concat(out[:i:i], bytes.Repeat(unit, n), out[i:])
		}
		type result struct {
			h       *cgiHeader
			outcome string
			rest    []byte
		}
		read := func(r io.Reader) result {
			br := bufio.NewReaderSize(r, outBufSize)
			h, err := readHeader(br)
			res := result{h: h, outcome: outcomeOf(t, err)}
			if err == nil {
				res.rest, _ = io.ReadAll(br)
			}
			return res
		}
		got := read(bytes.NewReader(out))
		// A byte at a time costs a read per byte, which makes minimizing
		// a long input crawl: long ones come in pieces of 1 to 13 bytes.
		var pieces io.Reader = &piecesReader{r: bytes.NewReader(out)}
		if len(out) <= 512 {
			pieces = iotest.OneByteReader(bytes.NewReader(out))
		}
		if slow := read(pieces); !reflect.DeepEqual(got, slow) {
			t.Fatalf("readHeader(%q): %+v at once, %+v in pieces", out, got, slow)
		}

		want, rest, outcome := refReadHeader(string(out))
		if got.outcome != outcome {
			t.Fatalf("readHeader(%q): %s, reference %s", out, got.outcome, outcome)
		}
		if outcome != "ok" {
			if got.h != nil {
				t.Fatalf("readHeader(%q): a header %+v with an error", out, got.h)
			}
			return
		}
		h := got.h
		if h.status != want.status || h.reason != want.reason || h.location != want.location ||
			!reflect.DeepEqual(h.fields, want.fields) && (len(h.fields) != 0 || len(want.fields) != 0) {
			t.Fatalf("readHeader(%q) = %+v, reference %+v", out, *h, want)
		}
		if string(got.rest) != rest {
			t.Fatalf("readHeader(%q): body %q, want %q", out, got.rest, rest)
		}

		// What is passed on is well formed and the script's own business.
		if h.status != 0 && (h.status < 200 || h.status > 599) {
			t.Errorf("readHeader(%q): status %d", out, h.status)
		}
		if !fuzzValidValue(h.reason) {
			t.Errorf("readHeader(%q): reason %q", out, h.reason)
		}
		locations, lengths := 0, 0
		for _, f := range h.fields {
			if !fuzzToken.MatchString(f.name) || !fuzzValidValue(f.value) || strings.Trim(f.value, " \t") != f.value {
				t.Errorf("readHeader(%q): field %q: %q", out, f.name, f.value)
			}
			switch k := textproto.CanonicalMIMEHeaderKey(f.name); k {
			case "Status", "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Te", "Trailer", "Upgrade", "Server", "Date":
				t.Errorf("readHeader(%q): passes %s on", out, k)
			case "Location":
				locations++
				if f.value != h.location {
					t.Errorf("readHeader(%q): Location field %q, location %q", out, f.value, h.location)
				}
			case "Content-Length":
				lengths++
				if _, ok := basehandler.ParseContentLength(f.value); !ok {
					t.Errorf("readHeader(%q): Content-Length %q", out, f.value)
				}
			}
		}
		if locations > 1 || lengths > 1 || (locations == 1) != (h.location != "") {
			t.Errorf("readHeader(%q): %d Location and %d Content-Length fields, location %q", out, locations, lengths, h.location)
		}

		// textproto reads the same block (ours is stricter: no
		// continuation lines, no control characters) the same way.
		block := out[:len(out)-len(rest)]
		mime, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(block))).ReadMIMEHeader()
		if err != nil {
			t.Fatalf("readHeader(%q) accepts what textproto refuses: %v", out, err)
		}
		for _, f := range h.fields {
			if vs := mime[textproto.CanonicalMIMEHeaderKey(f.name)]; !strings.Contains("\x00"+strings.Join(vs, "\x00")+"\x00", "\x00"+f.value+"\x00") {
				t.Errorf("readHeader(%q): field %s: %q, textproto %q", out, f.name, f.value, vs)
			}
		}
		if h.status != 0 {
			if vs := mime["Status"]; len(vs) != 1 || !strings.HasPrefix(vs[0], strconv.Itoa(h.status)) {
				t.Errorf("readHeader(%q): status %d, textproto %q", out, h.status, vs)
			}
		}
	})
}

// refStatusLine is RFC 9112 section 4's status line, with the three-digit
// code parseStatusLine accepts (100 to 999):
//
//	status-line = HTTP-version SP status-code SP [ reason-phrase ]
//
// "HTTP/" starts the version, which is not checked further, and the SP
// after the code may be missing when there is no reason.
var refStatusLine = regexp.MustCompile(`(?s)^HTTP/[^ ]* ([1-9][0-9][0-9])(?: (.*))?$`)

// FuzzParseStatusLine checks parseStatusLine, which reads the status line
// of an nph script, against refStatusLine, and against net/http's
// ReadResponse where that one reads the line too.
func FuzzParseStatusLine(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\n",
		"HTTP/1.0 404 Not Found\n",
		"HTTP/1.1 204\r\n",
		"HTTP/1.1 204 \r\n",
		"HTTP/1.1 999 Whatever\r\n",
		"HTTP/1.1 099 Low\r\n",
		"HTTP/1.1 000\r\n",
		"HTTP/1.1 +99 Plus\r\n",
		"HTTP/1.1 -99 Minus\r\n",
		"HTTP/1.1 1000 Long\r\n",
		"HTTP/1.1  200 Two spaces\r\n",
		"HTTP/1.1\t200 Tab\r\n",
		"HTTP/1.1 200 OK\rInjected: x\r\n",
		"HTTP/1.1 200 OK\r",
		"HTTP/2 200\n",
		"HTTP/ 200 x",
		"http/1.1 200 OK\r\n",
		"ICY 200 OK\r\n",
		"Status: 200 OK\r\n",
		"HTTP/1.1 2\xff0 x\r\n",
		"HTTP/1.1 200 caf\xc3\xa9\x00\r\n",
		"",
		"\n",
		"\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		code, reason, ok := parseStatusLine(line)
		trimmed := string(trimEOL(line))
		m := refStatusLine.FindStringSubmatch(trimmed)
		if ok != (m != nil) {
			t.Fatalf("parseStatusLine(%q) = %d, %q, %v; reference %q", line, code, reason, ok, m)
		}
		if !ok {
			if code != 0 || reason != "" {
				t.Fatalf("parseStatusLine(%q) = %d, %q, false", line, code, reason)
			}
			return
		}
		if code < 100 || code > 999 || strconv.Itoa(code) != m[1] || reason != m[2] {
			t.Fatalf("parseStatusLine(%q) = %d, %q; reference %q, %q", line, code, reason, m[1], m[2])
		}

		// net/http trims extra spaces before the code and reads any
		// "HTTP/x.y" version; where neither matters, it agrees.
		proto, after, _ := strings.Cut(trimmed, " ")
		if strings.ContainsAny(trimmed, "\n") || strings.HasPrefix(after, " ") {
			return
		}
		if _, _, vok := http.ParseHTTPVersion(proto); !vok {
			return
		}
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(trimmed+"\r\n\r\n")), nil)
		if err != nil {
			t.Fatalf("parseStatusLine(%q) = %d, %q; net/http: %v", line, code, reason, err)
		}
		if resp.StatusCode != code || strings.TrimPrefix(strings.TrimPrefix(resp.Status, m[1]), " ") != reason {
			t.Fatalf("parseStatusLine(%q) = %d, %q; net/http %d, %q", line, code, reason, resp.StatusCode, resp.Status)
		}
	})
}

// refUnquote is urllib.parse.unquote as simplehandler.UnescapePath does
// it: %XX is the byte XX, a "%" without two hex digits stays, and then
// each UTF-8 form of a surrogate escape U+DC80..U+DCFF is the byte
// 0x80..0xFF it stands for.
func refUnquote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+3 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return surrogateEscapes.Replace(b.String())
}

// surrogateEscapes replaces the UTF-8 form of U+DC80..U+DCFF by the byte
// each stands for.
var surrogateEscapes = func() *strings.Replacer {
	var pairs []string
	for c := 0x80; c <= 0xff; c++ {
		r := 0xdc00 + c
		pairs = append(pairs, string([]byte{0xe0 | byte(r>>12), 0x80 | byte(r>>6&0x3f), 0x80 | byte(r&0x3f)}), string([]byte{byte(c)}))
	}
	return strings.NewReplacer(pairs...)
}()

// refCollapsePath is Python 3.11's http.server._url_collapse_path, line
// for line, after refUnquote (the query is the caller's business here),
// with one deliberate difference: Python's result starts with "//" when
// no element is left before the last ("/a" gives "//a", "/" gives "//"),
// collapsePath's with "/". ok is false where Python raises IndexError.
func refCollapsePath(p string) (collapsed string, ok bool) {
	pathParts := strings.Split(refUnquote(p), "/")
	var headParts []string
	for _, part := range pathParts[:len(pathParts)-1] {
		if part == ".." {
			if len(headParts) == 0 {
				return "", false
			}
			headParts = headParts[:len(headParts)-1]
		} else if part != "" && part != "." {
			headParts = append(headParts, part)
		}
	}
	tailPart := pathParts[len(pathParts)-1]
	if tailPart == ".." {
		if len(headParts) == 0 {
			return "", false
		}
		headParts = headParts[:len(headParts)-1]
		tailPart = ""
	} else if tailPart == "." {
		tailPart = ""
	}
	collapsed = "/" + strings.Join(headParts, "/") + "/" + tailPart
	if len(headParts) == 0 {
		collapsed = collapsed[1:] // "//a" is "/a" here
	}
	return collapsed, true
}

// FuzzCollapsePath checks collapsePath against Python's algorithm
// (refCollapsePath) and that its result is a path that matching against
// the CGI directories cannot be fooled by: it starts with "/" and has no
// empty, "." or ".." element (but a trailing slash), and collapsing it
// again changes nothing when decoding does not.
func FuzzCollapsePath(f *testing.F) {
	for _, s := range []string{
		"/", "//", "/\\", "/.//", "/cgi-bin/file1.py", "//a", "/./a", "/a/b", "/a/b/",
		"/a/b/.", "/a/b/c/..", "/a/b/c/../d", "/.//..", "/..", "/a/%2e%2e/b", "/a/%2E%2E",
		"/a%2f..%2fb", "/cgi-bin%2ffile1.py", "/a%2fb/c", "/a/...", "/a/..b", "/%zz/%4",
		"/a%3Fb", "/%ED%B3%BF", "/cgi-bin/../cgi-bin/x.py", "/cgi-bin/./x.py/extra/path",
		"/cgi-bin/%2e%2e/%2e%2e/etc/passwd", "/cgi-bin/x.py%00.txt", "/%25%32%65%25%32%65/x",
		"/\xed\xb3\xad\xb2\x80", "/%ED%B3%AD%B2%80", "/a/%", "/a/%2", "/a/%%2e%2e", "/..%2f",
		"", ".", "..", "a/b", "a/..", "/a/b/../../..", "/a//b///c", "/ \t/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, err := collapsePath(p)
		want, ok := refCollapsePath(p)
		if err != nil {
			if err != errDotDot {
				t.Fatalf("collapsePath(%q): error %v", p, err)
			}
			if ok {
				t.Fatalf("collapsePath(%q): refused; Python's gives %q", p, want)
			}
			return
		}
		if !ok {
			t.Fatalf("collapsePath(%q) = %q; Python's raises IndexError", p, got)
		}
		if got != want {
			t.Fatalf("collapsePath(%q) = %q; Python's gives %q", p, got, want)
		}
		if !strings.HasPrefix(got, "/") {
			t.Fatalf("collapsePath(%q) = %q: not absolute", p, got)
		}
		if got != "/" {
			for _, elem := range strings.Split(strings.TrimSuffix(got[1:], "/"), "/") {
				if elem == "" || elem == "." || elem == ".." {
					t.Fatalf("collapsePath(%q) = %q: element %q", p, got, elem)
				}
			}
		}
		// Decoding is the identity when there is no "%" and no 0xED (the
		// first byte of a surrogate escape); then collapsing is too.
		if strings.IndexByte(got, '%') < 0 && strings.IndexByte(got, 0xed) < 0 {
			if again, err := collapsePath(got); err != nil || again != got {
				t.Fatalf("collapsePath(%q) = %q, but collapsePath(%q) = %q, %v", p, got, got, again, err)
			}
		}
	})
}
