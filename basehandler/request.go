package basehandler

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Limits of the request head, as Python's http.server and http.client set
// them: a line (request line or field line) may hold 65,536 bytes with its
// line end, and a head may hold 100 lines counting the empty line that ends
// it.
const (
	maxLineLength  = 65536
	maxHeaderLines = 100
	// maxEmptyLines is how many empty lines may come before a request line;
	// RFC 9112 section 2.2 asks servers to ignore at least one.
	maxEmptyLines = 4
)

// Request is one HTTP request as the parser read it: Python's
// BaseHTTPRequestHandler attributes command, path, request_version,
// requestline and headers.
//
// A Request lives for one call of [Handler.ServeRequest]; a handler must
// not keep it, or its Body, after returning.
type Request struct {
	// Method is the method token (Python's command), case-sensitive:
	// "get" is a method no handler knows.
	Method string

	// Target is the request-target exactly as the client sent it.
	Target string

	// Path is Python's self.path: the origin-form target (path and query)
	// with a leading run of slashes reduced to one, so that a redirect built
	// from it can never become a scheme-relative URL (CVE-2021-28861). For
	// an absolute-form target (RFC 9112 section 3.2.2) it is the target's
	// path and query; for the asterisk-form it is "*".
	Path string

	// Proto is the protocol version word as sent ("HTTP/1.1"), or
	// "HTTP/0.9" for a request line of two words.
	Proto      string
	ProtoMajor int
	ProtoMinor int

	// RequestLine is the request line without its line end, for the log.
	RequestLine string

	// Header holds the field lines, keyed by canonical name.
	Header http.Header

	// Host is the Host field value, or the authority of an absolute-form
	// target.
	Host string

	// ContentLength is the length of the body: 0 when there is none, -1
	// when it is chunked and so not known in advance.
	ContentLength int64

	// Chunked reports that the body uses the chunked transfer coding; Body
	// yields the decoded data.
	Chunked bool

	// Body reads the request body, framed by Content-Length or chunked
	// coding (RFC 9112 section 6). It is never nil. A handler that leaves it
	// unread is fine: the server discards what is left, or closes the
	// connection, and never parses a body as the next request.
	Body io.Reader

	// RemoteAddr and LocalAddr are the connection's "host:port" addresses.
	RemoteAddr string
	LocalAddr  string

	// TLS is the connection's TLS state, or nil for plain HTTP.
	TLS *tls.ConnectionState

	close          bool // Python's close_connection as the request decided it
	expectContinue bool // Expect: 100-continue on an HTTP/1.1 exchange
	ctx            context.Context
	conn           *conn
}

// Context returns the request's context. It is cancelled when the client
// closes the connection (noticed once the body has been read), when the
// server shuts down, or when the handler returns.
func (r *Request) Context() context.Context {
	if r.conn != nil {
		r.conn.watchClose(r)
	}
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// RemoteIP returns the client's address without the port: Python's
// address_string().
func (r *Request) RemoteIP() string {
	return hostOf(r.RemoteAddr)
}

// ProtoAtLeast reports whether the request's version is at least
// major.minor.
func (r *Request) ProtoAtLeast(major, minor int) bool {
	return r.ProtoMajor > major || r.ProtoMajor == major && r.ProtoMinor >= minor
}

func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		addr = addr[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
}

// headReader reads request heads from a connection: the request line and
// the field lines. It keeps one scratch buffer for lines longer than the
// bufio.Reader's buffer.
type headReader struct {
	br   *bufio.Reader
	long []byte
}

// readLine returns the next line including its line end, or errLineTooLong
// when it is longer than maxLineLength. The slice is valid until the next
// call.
func (h *headReader) readLine() ([]byte, error) {
	line, err := h.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	h.long = append(h.long[:0], line...)
	// Take what has arrived instead of waiting for a full buffer: Python's
	// readline(65537) refuses a line as soon as it is too long, so a client
	// that sent one and waits gets its 414 at once.
	for len(h.long) <= maxLineLength {
		if _, err := h.br.Peek(1); err != nil {
			return h.long, err
		}
		buf, _ := h.br.Peek(h.br.Buffered())
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			buf = buf[:i+1]
		}
		h.long = append(h.long, buf...)
		h.br.Discard(len(buf))
		if buf[len(buf)-1] == '\n' && len(h.long) <= maxLineLength {
			return h.long, nil
		}
	}
	return nil, errLineTooLong
}

// readRequest reads one request head (Python's handle_one_request and
// parse_request) and sets up its body. protocol is the server's
// protocol_version. It returns io.EOF when the client closed the connection
// before sending anything, and a *ProtocolError for a request that must be
// answered with an error.
func (h *headReader) readRequest(protocol string) (*Request, error) {
	var line []byte
	var err error
	for empty := 0; ; empty++ {
		line, err = h.readLine()
		if err == errLineTooLong {
			return nil, &ProtocolError{Status: http.StatusRequestURITooLong}
		}
		if err != nil {
			if len(line) == 0 || err != io.EOF {
				return nil, err
			}
			// A final line without a line end still counts, as in Python.
		}
		if len(trimEOL(line)) > 0 || empty >= maxEmptyLines {
			break
		}
	}
	r := &Request{Proto: "HTTP/0.9", close: true}
	// Python strips every CR and LF from the end of the request line
	// (rstrip('\r\n')), so none shows in the log or an error message.
	if err := r.parseRequestLine(bytes.TrimRight(line, "\r\n"), protocol); err != nil {
		return r, err
	}
	if r.Proto == "HTTP/0.9" {
		// An HTTP/0.9 request is the request line alone (RFC 1945
		// section 4.1): no fields follow.
		r.Header = http.Header{}
		r.Body = noBody{}
		return r, nil
	}
	if err := h.readFieldLines(r); err != nil {
		return r, err
	}
	return r, r.interpretFields(protocol)
}

// trimEOL removes a line end: CRLF, or a bare LF, which RFC 9112 section
// 2.2 lets a recipient accept in the head and Python does.
func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

// parseRequestLine parses
//
//	request-line = method SP request-target SP HTTP-version
//
// splitting on runs of whitespace as RFC 9112 section 3 allows and Python
// does. Two words make an HTTP/0.9 request, which may only be GET.
func (r *Request) parseRequestLine(line []byte, protocol string) error {
	r.RequestLine = string(line)
	var words [3][]byte
	var last []byte // Python's words[-1], however many words there are
	n := 0
	for rest := line; ; n++ {
		rest = bytes.TrimLeft(rest, " \t\v\f\r")
		if len(rest) == 0 {
			break
		}
		i := bytes.IndexAny(rest, " \t\v\f\r")
		if i < 0 {
			i = len(rest)
		}
		last, rest = rest[:i], rest[i:]
		if n < len(words) {
			words[n] = last
		}
	}
	if n >= 3 {
		version := last
		major, minor, ok := parseHTTPVersion(version)
		if !ok {
			return badRequest("Bad request version (" + Repr(version) + ")")
		}
		if major >= 2 {
			return &ProtocolError{Status: http.StatusHTTPVersionNotSupported,
				Message: "Invalid HTTP version (" + string(version[len("HTTP/"):]) + ")"}
		}
		r.Proto, r.ProtoMajor, r.ProtoMinor = string(version), major, minor
		if r.ProtoAtLeast(1, 1) && protocol >= "HTTP/1.1" {
			r.close = false
		}
	}
	if n < 2 || n > 3 {
		return badRequest("Bad request syntax (" + Repr(line) + ")")
	}
	method, target := words[0], words[1]
	if n == 2 && string(method) != http.MethodGet {
		return badRequest("Bad HTTP/0.9 request type (" + Repr(method) + ")")
	}
	if !isToken(method) {
		return badRequest("Bad request method (" + Repr(method) + ")")
	}
	r.Method = internMethod(method)
	return r.parseTarget(target)
}

// parseHTTPVersion parses "HTTP/" major "." minor with Python's leniency:
// each number is one to ten decimal digits, leading zeros ignored (RFC 2145
// section 3.1). RFC 9112 section 2.3 allows a single digit each; longer
// numbers are only ever tolerated.
func parseHTTPVersion(v []byte) (major, minor int, ok bool) {
	switch string(v) {
	case "HTTP/1.1":
		return 1, 1, true
	case "HTTP/1.0":
		return 1, 0, true
	}
	rest, found := bytes.CutPrefix(v, []byte("HTTP/"))
	if !found {
		return 0, 0, false
	}
	a, b, found := bytes.Cut(rest, []byte("."))
	if !found {
		return 0, 0, false
	}
	major, ok1 := parseVersionNumber(a)
	minor, ok2 := parseVersionNumber(b)
	return major, minor, ok1 && ok2
}

func parseVersionNumber(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseTarget reads the request-target in the forms of RFC 9112 section
// 3.2: origin-form ("/path?query"), absolute-form ("http://host/path"), the
// asterisk-form ("*", for OPTIONS) and the authority-form ("host:port", for
// CONNECT). Control characters are never part of a URI (RFC 3986).
func (r *Request) parseTarget(target []byte) error {
	for _, c := range target {
		if c < 0x20 || c == 0x7f {
			return badRequest("Bad request target (" + Repr(target) + ")")
		}
	}
	r.Target = string(target)
	switch {
	case target[0] == '/':
		// Python (gh-87389) reduces a leading "//" to "/": otherwise a
		// redirect to "//evil.example/" would leave the site.
		path := r.Target
		if strings.HasPrefix(path, "//") {
			path = "/" + strings.TrimLeft(path, "/")
		}
		r.Path = path
	case r.Target == "*":
		r.Path = "*"
	case hasHTTPScheme(r.Target):
		rest := r.Target[strings.Index(r.Target, "://")+3:]
		i := strings.IndexAny(rest, "/?#")
		if i < 0 {
			i = len(rest)
		}
		r.Host = rest[:i]
		if !validHost(r.Host) {
			return badRequest("Bad request target (" + Repr(target) + ")")
		}
		path := rest[i:]
		if path == "" || path[0] != '/' {
			path = "/" + path
		}
		if strings.HasPrefix(path, "//") {
			path = "/" + strings.TrimLeft(path, "/")
		}
		r.Path = path
	case r.Method == http.MethodConnect:
		r.Path = r.Target
	default:
		return badRequest("Bad request target (" + Repr(target) + ")")
	}
	return nil
}

func hasHTTPScheme(s string) bool {
	for _, scheme := range [...]string{"http://", "https://"} {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return true
		}
	}
	return false
}

// readFieldLines reads the header section (RFC 9112 section 5) up to and
// including the empty line. Its limits are Python's: a line of more than
// 65,536 bytes, or 100 lines counting the empty one, is answered with 431.
func (h *headReader) readFieldLines(r *Request) error {
	r.Header = make(http.Header, 8)
	var last string // the name of the previous field, for obs-fold
	// fold collects the value of a field continued by obs-fold, which
	// becomes its string once the field ends: adding each continuation to
	// a string would copy the whole value again, and 99 lines of 64 KiB
	// would cost some 300 MB.
	var fold []byte
	folding := false
	endFold := func() {
		if folding {
			vs := r.Header[last]
			vs[len(vs)-1] = string(fold)
			folding = false
		}
	}
	for count := 1; ; count++ {
		line, err := h.readLine()
		if err == errLineTooLong {
			return &ProtocolError{Status: http.StatusRequestHeaderFieldsTooLarge,
				Message: "Line too long", Explain: "got more than 65536 bytes when reading header line"}
		}
		if err != nil && !(err == io.EOF && len(line) > 0) {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if count > maxHeaderLines {
			return &ProtocolError{Status: http.StatusRequestHeaderFieldsTooLarge,
				Message: "Too many headers", Explain: "got more than 100 headers"}
		}
		line = trimEOL(line)
		if len(line) == 0 {
			endFold()
			return nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			// obs-fold: RFC 9112 section 5.2 lets a server replace it with
			// a space, as Python's email parser does.
			if last == "" {
				return badRequest("Bad header continuation line")
			}
			value := bytes.Trim(line, " \t")
			if !validFieldValue(value) {
				return badRequest("Bad header value")
			}
			// The fold is replaced with a space (RFC 9112 section 5.2); a
			// value that was empty until now takes no leading space, as
			// field values have no leading whitespace (RFC 9110 section 5.5).
			if len(value) > 0 {
				if !folding {
					vs := r.Header[last]
					fold = append(fold[:0], vs[len(vs)-1]...)
					folding = true
				}
				if len(fold) > 0 {
					fold = append(fold, ' ')
				}
				fold = append(fold, value...)
			}
			continue
		}
		endFold()
		name, value, found := bytes.Cut(line, []byte(":"))
		if !found || !isToken(name) {
			// RFC 9112 section 5.1: no whitespace is allowed between the
			// field name and the colon, and the name is a token.
			return badRequest("Bad header line (" + Repr(line) + ")")
		}
		value = bytes.Trim(value, " \t")
		if !validFieldValue(value) {
			return badRequest("Bad header value (" + Repr(name) + ")")
		}
		last = canonicalKey(name)
		r.Header[last] = append(r.Header[last], string(value))
	}
}

// interpretFields applies the fields the server itself acts on: Host,
// Connection, Expect and the message body framing.
func (r *Request) interpretFields(protocol string) error {
	// RFC 9112 section 3.2: a server MUST respond with 400 to an HTTP/1.1
	// request that lacks a Host field, and to any request that has more
	// than one.
	hosts := r.Header["Host"]
	if len(hosts) > 1 {
		return badRequest("Too many Host headers")
	}
	if r.ProtoAtLeast(1, 1) && len(hosts) == 0 {
		return badRequest("Missing Host header")
	}
	if len(hosts) > 0 {
		if !validHost(hosts[0]) {
			return badRequest("Bad Host header")
		}
		if r.Host == "" {
			r.Host = hosts[0]
		}
	}

	// Python's rule: "close" closes; "keep-alive" keeps the connection open
	// when the server speaks HTTP/1.1, even for an HTTP/1.0 client.
	var hasClose, hasKeepAlive bool
	for _, v := range r.Header["Connection"] {
		for _, opt := range strings.Split(v, ",") {
			opt = strings.TrimSpace(opt)
			hasClose = hasClose || strings.EqualFold(opt, "close")
			hasKeepAlive = hasKeepAlive || strings.EqualFold(opt, "keep-alive")
		}
	}
	if hasClose {
		r.close = true
	} else if hasKeepAlive && protocol >= "HTTP/1.1" {
		r.close = false
	}
	if protocol >= "HTTP/1.1" && r.ProtoAtLeast(1, 1) {
		for _, v := range r.Header["Expect"] {
			if strings.EqualFold(v, "100-continue") {
				r.expectContinue = true
			}
		}
	}
	return r.setBodyFraming()
}

// setBodyFraming decides how long the body is (RFC 9112 section 6.3).
// Ambiguous framing is the stuff of request smuggling, so every doubt is a
// 400 and a closed connection.
func (r *Request) setBodyFraming() error {
	te, hasTE := r.Header["Transfer-Encoding"]
	cl, hasCL := r.Header["Content-Length"]
	if hasTE {
		if hasCL {
			return badRequest("Both Content-Length and Transfer-Encoding")
		}
		if !r.ProtoAtLeast(1, 1) {
			// RFC 9112 section 6.1: Transfer-Encoding in an HTTP/1.0
			// message means faulty framing.
			return badRequest("Transfer-Encoding in an HTTP/1.0 request")
		}
		if len(te) != 1 || !strings.EqualFold(strings.TrimSpace(te[0]), "chunked") {
			// Only "chunked" alone is understood; RFC 9112 section 6.1
			// says 501 for an unknown coding.
			return &ProtocolError{Status: http.StatusNotImplemented,
				Message: "Unsupported Transfer-Encoding"}
		}
		r.Chunked = true
		r.ContentLength = -1
		return nil
	}
	if hasCL {
		n := int64(-1)
		for _, v := range cl {
			for _, part := range strings.Split(v, ",") {
				m, ok := ParseContentLength(strings.TrimSpace(part))
				if !ok || (n >= 0 && m != n) {
					// RFC 9110 section 8.6: a list of identical values may
					// be taken as one; anything else is unrecoverable.
					return badRequest("Bad Content-Length")
				}
				n = m
			}
		}
		r.ContentLength = n
	}
	return nil
}

// ParseContentLength parses a Content-Length value, 1*DIGIT (RFC 9110
// section 8.6), refusing signs, spaces and overflow.
func ParseContentLength(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// internMethod returns the method as a string, without allocating for the
// common ones: a switch on string(b) does not copy b.
func internMethod(b []byte) string {
	switch string(b) {
	case "GET":
		return http.MethodGet
	case "HEAD":
		return http.MethodHead
	case "POST":
		return http.MethodPost
	case "PUT":
		return http.MethodPut
	case "DELETE":
		return http.MethodDelete
	case "OPTIONS":
		return http.MethodOptions
	case "PATCH":
		return http.MethodPatch
	case "CONNECT":
		return http.MethodConnect
	case "TRACE":
		return http.MethodTrace
	}
	return string(b)
}

// isToken reports whether b is a token (RFC 9110 section 5.6.2):
//
//	token = 1*tchar
//	tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
//	        "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !isTokenChar(c) {
			return false
		}
	}
	return true
}

func isTokenChar(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// validFieldValue reports whether v may be a field value (RFC 9110 section
// 5.5): visible characters, obs-text, spaces and tabs; never CR, LF, NUL or
// another control character.
func validFieldValue(v []byte) bool {
	for _, c := range v {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// validHost reports whether a Host value is plausible: uri-host [":" port]
// made of the characters RFC 3986 allows there.
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if strings.IndexByte("-._~!$&'()*+,;=:[]%", c) < 0 {
			return false
		}
	}
	return true
}

// canonicalKey returns the canonical form of a header name ("content-type"
// becomes "Content-Type"), without allocating for common names: the map
// lookup m[string(b)] does not copy b.
func canonicalKey(name []byte) string {
	upper := true
	for i, c := range name {
		switch {
		case upper && 'a' <= c && c <= 'z':
			name[i] = c - ('a' - 'A')
		case !upper && 'A' <= c && c <= 'Z':
			name[i] = c + ('a' - 'A')
		}
		upper = c == '-'
	}
	if s, ok := commonHeaders[string(name)]; ok {
		return s
	}
	return string(name)
}

var commonHeaders = func() map[string]string {
	m := make(map[string]string)
	for _, s := range []string{
		"Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization",
		"Cache-Control", "Connection", "Content-Length", "Content-Type", "Cookie",
		"Expect", "Host", "If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
		"If-Unmodified-Since", "Origin", "Pragma", "Range", "Referer", "Te",
		"Transfer-Encoding", "Upgrade", "Upgrade-Insecure-Requests", "User-Agent",
		"Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User",
		"Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform", "Dnt", "Priority",
		"X-Forwarded-For", "X-Requested-With",
	} {
		m[s] = s
	}
	return m
}()
