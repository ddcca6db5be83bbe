package basehandler

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readRequestSeeds are the fuzz seeds: real clients' heads, bodies and
// the malformed requests of the wire tests.
var readRequestSeeds = []string{
	curlHead,
	chromeHead,
	wrkHead,
	"POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
	"POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5;x=y\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n",
	"PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
	"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
	"GET http://example.com/a?b HTTP/1.1\r\nHost: x\r\n\r\n",
	"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
	"GET /lf HTTP/1.1\nHost: a\n\n",
	"GET / HTTP/1.1\r\nHost: a\r\nX-Fold: a\r\n b\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
	"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
	"GET / HTTP/1.1\r\n\r\n",
	"GET /nine\r\n",
	"GET / HTTP/01.01\r\nHost: a\r\n\r\n",
	"GET / HTTP/2.0\r\n\r\n",
	"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
	"GET\t/  HTTP/1.1 \r\nHost: a\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
	"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
	"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
	"GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n",
	"GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n",
	"get / HTTP/1.1\r\nHost: a\r\nPragma: no-cache\r\n\r\n",
}

// FuzzReadRequest compares readRequest with net/http's parser
// (http.ReadRequest plus the checks net/http's server adds: HTTP/1.x only,
// a Host for HTTP/1.1, a valid Host). They must agree on accepting or
// refusing a head and, when both accept, on the method, the target, the
// fields (canonical names, values in order), the Host, and the body
// framing. Inputs that touch a known divergence are skipped; see
// knownDivergence.
func FuzzReadRequest(f *testing.F) {
	for _, s := range readRequestSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h := headReader{br: bufio.NewReaderSize(bytes.NewReader(data), 4096)}
		ours, oursErr := h.readRequest("HTTP/1.1")
		theirs, theirsErr := netHTTPReadRequest(data)
		if oursErr == nil && ours.Header == nil {
			t.Fatalf("readRequest accepted %q with nil Header", data)
		}
		if why := knownDivergence(data); why != "" {
			return
		}
		if (oursErr == nil) != (theirsErr == nil) {
			t.Fatalf("accept/reject differ on %q\nreadRequest: %v\nnet/http:    %v", data, oursErr, theirsErr)
		}
		if oursErr != nil {
			return
		}
		if got, want := describe(ours), describeNetHTTP(theirs); got != want {
			t.Fatalf("parse differs on %q\nreadRequest: %s\nnet/http:    %s", data, got, want)
		}
	})
}

// netHTTPReadRequest is net/http's server-side parsing of a head:
// http.ReadRequest, then the checks of conn.readRequest in server.go.
// ReadRequest drops the Host fields, so they are counted in the raw head.
func netHTTPReadRequest(data []byte) (*http.Request, error) {
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		return nil, err
	}
	if req.ProtoMajor != 1 {
		return nil, errors.New("unsupported protocol version")
	}
	lines, _ := splitHead(data)
	haveHost := false
	for _, line := range lines[1:] {
		name, _, _ := bytes.Cut(line, []byte(":"))
		haveHost = haveHost || strings.EqualFold(string(name), "Host")
	}
	if req.ProtoAtLeast(1, 1) && !haveHost && req.Method != "CONNECT" {
		return nil, errors.New("missing required Host header")
	}
	// httpguts.ValidHeaderFieldName and ValidHeaderFieldValue: textproto
	// lets a name with spaces through (go.dev/issue/34540).
	const tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for k, vv := range req.Header {
		if k == "" || strings.Trim(k, tchar) != "" {
			return nil, errors.New("invalid header name")
		}
		for _, v := range vv {
			if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
				return nil, errors.New("invalid header value")
			}
		}
	}
	// httpguts.ValidHostHeader
	if haveHost && strings.Trim(req.Host, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!$%&'()*+,-.:;=[]_~") != "" {
		return nil, errors.New("malformed Host header")
	}
	return req, nil
}

func describe(r *Request) string {
	h := r.Header.Clone()
	delete(h, "Transfer-Encoding") // net/http removes it once interpreted
	delete(h, "Content-Length")    // and folds repeated Content-Lengths
	delete(h, "Host")              // and keeps only Request.Host
	// net/http's fixPragmaCacheControl.
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" && h["Cache-Control"] == nil {
		h["Cache-Control"] = []string{"no-cache"}
	}
	return format(r.Method, r.Target, r.ProtoMajor, r.ProtoMinor, r.Host, h, r.ContentLength, r.Chunked)
}

func describeNetHTTP(r *http.Request) string {
	h := r.Header.Clone()
	delete(h, "Content-Length")
	return format(r.Method, r.RequestURI, r.ProtoMajor, r.ProtoMinor, r.Host, h, r.ContentLength, len(r.TransferEncoding) > 0)
}

func format(method, target string, major, minor int, host string, h http.Header, n int64, chunked bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q %q %d.%d host=%q length=%d chunked=%v", method, target, major, minor, host, n, chunked)
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " %q=%q", k, h[k])
	}
	return b.String()
}

var strictVersion = regexp.MustCompile(`^HTTP/[0-9]\.[0-9]$`)

// knownDivergence reports why the two parsers may rightly disagree on
// data, or "" when they must agree. Each reason is a deliberate choice of
// readRequest (the package doc's Python compatibility list, or RFC 9112)
// or a net/http quirk.
func knownDivergence(data []byte) string {
	lines, complete := splitHead(data)
	if len(lines) == 0 {
		return ""
	}
	if len(lines[0]) == 0 {
		// RFC 9112 section 2.2: we skip up to four empty lines before the
		// request line; net/http only after a POST on the same connection.
		return "empty line before the request line"
	}
	if !complete {
		// Python counts a last line without a line end (EOF ends it); net/http
		// wants the empty line.
		return "head not ended by an empty line"
	}
	for _, line := range lines {
		if bytes.IndexByte(line, '\r') >= 0 {
			// A CR not before LF: textproto trims it from a value's end,
			// we refuse it as a control character (RFC 9110 section 5.5).
			return "bare CR"
		}
		if len(line) > maxLineLength-2 {
			return "line longer than Python's limit"
		}
	}
	if len(lines) > maxHeaderLines {
		return "more fields than Python's limit"
	}
	parts := strings.Split(string(lines[0]), " ")
	if len(parts) != 3 || strings.ContainsAny(string(lines[0]), "\t\v\f") || slices.Contains(parts, "") {
		// Python and RFC 9112 section 3 split the request line on runs of
		// whitespace; net/http on single spaces. Two words are HTTP/0.9.
		return "request line not three words and two single spaces"
	}
	method, target, version := parts[0], parts[1], parts[2]
	if !strictVersion.MatchString(version) || version[5] == '0' {
		// Python's lenient versions (HTTP/01.1, up to ten digits each)
		// and its HTTP/0.9 (no fields follow); net/http wants one digit
		// each, and its server refuses 0.x.
		return "version not HTTP/D.D, or 0.x"
	}
	if method == "CONNECT" || !strings.HasPrefix(target, "/") && target != "*" {
		// We take only http(s) absolute-forms and CONNECT's authority;
		// net/http takes any URI, and CONNECT without Host.
		return "target not origin-form or *"
	}
	if strings.Contains(target, "%") {
		if _, err := url.ParseRequestURI(target); err != nil {
			// net/http checks percent-encoding; Python and we pass the
			// target on as sent.
			return "bad percent-encoding"
		}
	}
	var cls []string
	var hasTE, hasTrailer bool
	for i, line := range lines[1 : len(lines)-1] {
		if line[0] == ' ' || line[0] == '\t' {
			if len(bytes.Trim(line, " \t")) == 0 && i > 0 {
				// textproto adds a space for an obs-fold of nothing; we
				// add nothing, as RFC 9112 section 5.2 replaces the fold
				// with whitespace that the value's OWS then drops.
				return "empty obs-fold line"
			}
			continue
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		switch strings.ToLower(string(name)) {
		case "content-length":
			cls = append(cls, strings.Split(string(bytes.Trim(value, " \t")), ",")...)
		case "transfer-encoding":
			hasTE = true
		case "trailer":
			hasTrailer = true
		}
	}
	if hasTE && (len(cls) > 0 || version < "HTTP/1.1") {
		// RFC 9112 section 6.1 and 6.3: we refuse Transfer-Encoding with
		// Content-Length, or in HTTP/1.0; net/http drops the one or the
		// other.
		return "Transfer-Encoding with Content-Length, or in HTTP/1.0"
	}
	if hasTE && hasTrailer {
		// net/http checks the names a Trailer field lists.
		return "Trailer field"
	}
	for _, cl := range cls {
		if cl != cls[0] || len(cl) > 18 {
			// RFC 9110 section 8.6: we take a list of identical values
			// ("5, 5") as one value and compare numbers; net/http compares
			// the strings of whole fields. We refuse more than 18 digits.
			return "Content-Length list, or long"
		}
	}
	return ""
}

// splitHead splits data into the lines of a head, line ends removed (CRLF
// or LF), up to the empty line that ends it; complete reports that there
// was one.
func splitHead(data []byte) (lines [][]byte, complete bool) {
	for len(data) > 0 {
		line, rest, found := bytes.Cut(data, []byte("\n"))
		if !found {
			return append(lines, line), false
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		lines, data = append(lines, line), rest
		if len(line) == 0 && len(lines) > 1 {
			return lines, true
		}
	}
	return lines, false
}

// FuzzChunkedBody compares the chunked body reader with net/http's
// (httputil.NewChunkedReader, then net/http's own check that an empty
// trailer section follows). They must agree on accepting or refusing the
// framing and on the decoded bytes. Both refuse a bare LF in the framing
// (CVE-2025-22871; net/http since Go 1.24.2), so that is no divergence.
func FuzzChunkedBody(f *testing.F) {
	for _, s := range []string{
		"5\r\nhello\r\n0\r\n\r\n",
		"5;name=value\r\nhello\r\nA ; a=\"b;c\"\r\n0123456789\r\n0\r\n\r\n",
		"0\r\nX-Trailer: t\r\n\r\n",
		"000B\r\nhello world\r\n00\r\n\r\n",
		"5\nhello\r\n0\r\n\r\n",
		"5\r\nhello\n0\r\n\r\n",
		"5\r\nhelloXX0\r\n\r\n",
		"zz\r\n",
		"ffffffffffffffff\r\n",
		"1\r\nx\r\n",
		"5 \r\nhello\r\n0 \r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := new(Server).newConn(&fakeConn{r: bytes.NewReader(nil), w: io.Discard})
		b := &body{c: c, br: bufio.NewReaderSize(bytes.NewReader(data), 4096), chunked: true, left: -1}
		ours, oursErr := io.ReadAll(b)

		br := bufio.NewReaderSize(bytes.NewReader(data), 4096)
		theirs, theirsErr := io.ReadAll(httputil.NewChunkedReader(br))
		if theirsErr == nil {
			// net/http's body.readTrailer: the common case is CRLF.
			if peek, _ := br.Peek(2); string(peek) != "\r\n" {
				// A trailer section: net/http parses it with textproto,
				// which allows what a head allows (bare LF, obs-fold);
				// we allow CRLF field lines only. Compare the data.
				if !bytes.HasPrefix(theirs, ours) && !bytes.Equal(ours, theirs) {
					t.Fatalf("data differs on %q\nours:     %q\nnet/http: %q", data, ours, theirs)
				}
				return
			}
		}
		if (oursErr == nil) != (theirsErr == nil) {
			if why := knownChunkDivergence(oursErr, theirsErr); why != "" {
				return
			}
			t.Fatalf("accept/reject differ on %q\nours:     %v\nnet/http: %v", data, oursErr, theirsErr)
		}
		if !bytes.Equal(ours, theirs) && oursErr == nil {
			t.Fatalf("data differs on %q\nours:     %q\nnet/http: %q", data, ours, theirs)
		}
	})
}

// knownChunkDivergence reports why the chunked readers may rightly
// disagree, or "".
func knownChunkDivergence(ours, theirs error) string {
	var pe *ProtocolError
	switch {
	case errors.As(ours, &pe) && pe.Message == "Bad chunk extension":
		// We hold extensions to RFC 9112 section 7.1.1's start, ";" after
		// optional whitespace, and refuse control characters in them;
		// net/http drops whatever follows a ";".
		return "chunk extension"
	case theirs != nil && strings.Contains(theirs.Error(), "invalid byte in chunk length") && ours == nil:
		// RFC 9112 section 7.1.1's BWS: "5 ;ext" is valid; net/http
		// refuses whitespace before the ";".
		return "whitespace before a chunk extension"
	case theirs != nil && strings.Contains(theirs.Error(), "too much non-data"):
		// net/http limits the overhead of extensions; we do not.
		return "net/http's overhead limit"
	case theirs != nil && strings.Contains(theirs.Error(), "chunk length too large") && ours == nil:
		// net/http counts digits (16 at most, leading zeros too); we
		// count the value.
		return "leading zeros in a chunk size"
	}
	return ""
}

// TestKnownDivergence keeps the fuzz filter honest: real clients' heads
// must be compared, not skipped, and each filter must skip what it names.
func TestKnownDivergence(t *testing.T) {
	tests := []struct {
		name string
		head string
		want string // "" means compared
	}{
		{"curl", curlHead, ""},
		{"chrome", chromeHead, ""},
		{"wrk", wrkHead, ""},
		{"chunked POST", readRequestSeeds[3], ""},
		{"obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", ""},
		{"bare LF", "GET / HTTP/1.1\nHost: a\n\n", ""},
		{"empty line first", "\r\n" + wrkHead, "empty line before the request line"},
		{"no end", "GET / HTTP/1.1\r\nHost: a\r\n", "head not ended by an empty line"},
		{"bare CR", "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", "bare CR"},
		{"tab", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "request line not three words and two single spaces"},
		{"HTTP/0.9", "GET /\r\n\r\n", "request line not three words and two single spaces"},
		{"HTTP/01.1", "GET / HTTP/01.1\r\nHost: a\r\n\r\n", "version not HTTP/D.D, or 0.x"},
		{"absolute-form", "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", "target not origin-form or *"},
		{"percent", "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", "bad percent-encoding"},
		{"TE and CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding with Content-Length, or in HTTP/1.0"},
		{"CL list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n", "Content-Length list, or long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := knownDivergence([]byte(tt.head)); got != tt.want {
				t.Errorf("knownDivergence(%q) = %q, want %q", tt.head, got, tt.want)
			}
		})
	}
}
