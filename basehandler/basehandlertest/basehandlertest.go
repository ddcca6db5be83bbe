// Package basehandlertest runs a [basehandler.Server] on a loopback port
// for tests, and reads its responses byte for byte: what net/http/httptest
// is to net/http.
//
// Responses are read without net/http, so that tests see the wire as it
// is: the status line and field lines as sent, the body after chunked
// decoding, and whether the server closed the connection.
package basehandlertest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpserve/httpserve/basehandler"
)

// Timeout bounds every read and write a test makes, so that a server that
// never answers fails the test instead of hanging it.
const Timeout = 10 * time.Second

// Server is a basehandler.Server listening on 127.0.0.1 on a free port.
type Server struct {
	*basehandler.Server
	Addr string      // "127.0.0.1:port"
	Log  *SyncBuffer // the server's log, when NewServer set it

	cancel context.CancelFunc
	done   chan error
}

// NewServer starts s on a free loopback port. If s.Log is nil, the log is
// captured in the returned Server's Log. The server is shut down when the
// test ends, and the test fails if Serve does not return nil.
func NewServer(t testing.TB, s *basehandler.Server) *Server {
	t.Helper()
	ln, err := basehandler.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return Start(t, s, ln)
}

// Start serves s on ln, as NewServer does.
func Start(t testing.TB, s *basehandler.Server, ln net.Listener) *Server {
	t.Helper()
	ts := &Server{Server: s, Addr: ln.Addr().String(), done: make(chan error, 1)}
	if s.Log == nil {
		ts.Log = new(SyncBuffer)
		s.Log = ts.Log
	}
	var ctx context.Context
	ctx, ts.cancel = context.WithCancel(context.Background())
	go func() { ts.done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		if err := ts.Close(); err != nil {
			t.Errorf("Serve returned %v, want nil", err)
		}
	})
	return ts
}

// Close shuts the server down and returns what Serve returned. Calling it
// again returns nil.
func (s *Server) Close() error {
	s.cancel()
	select {
	case err, ok := <-s.done:
		if ok {
			close(s.done)
		}
		return err
	case <-time.After(Timeout):
		return errors.New("basehandlertest: Serve did not return after shutdown")
	}
}

// Dial connects to the server. The connection has a deadline of Timeout and
// is closed when the test ends.
func (s *Server) Dial(t testing.TB) *Conn {
	t.Helper()
	return Dial(t, s.Addr)
}

// RoundTrip sends raw on a new connection, half-closes it, and returns
// every byte the server sent until it closed the connection.
func (s *Server) RoundTrip(t testing.TB, raw string) string {
	t.Helper()
	c := s.Dial(t)
	c.Write(t, raw)
	c.CloseWrite()
	return c.ReadAll(t)
}

// Conn is a client connection with a reader for responses.
type Conn struct {
	net.Conn
	R *bufio.Reader
}

// Dial connects to addr, as Server.Dial does.
func Dial(t testing.TB, addr string) *Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, Timeout)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(Timeout))
	t.Cleanup(func() { nc.Close() })
	return &Conn{Conn: nc, R: bufio.NewReader(nc)}
}

// Write sends raw, failing the test if it cannot.
func (c *Conn) Write(t testing.TB, raw string) {
	t.Helper()
	if _, err := io.WriteString(c.Conn, raw); err != nil {
		t.Fatalf("writing request: %v", err)
	}
}

// CloseWrite half-closes the connection: the server sees EOF after what
// was written.
func (c *Conn) CloseWrite() {
	if tc, ok := c.Conn.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
}

// ReadAll returns what the server sends until it closes the connection. A
// reset after the data is treated as a close.
func (c *Conn) ReadAll(t testing.TB) string {
	t.Helper()
	b, err := io.ReadAll(c.R)
	if err != nil && !isReset(err) {
		t.Fatalf("reading until close: %v (got %q)", err, b)
	}
	return string(b)
}

// ReadResponse reads one response to a request with the given method.
func (c *Conn) ReadResponse(t testing.TB, method string) *Response {
	t.Helper()
	resp, err := ReadResponse(c.R, method)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	return resp
}

// Closed reports whether the server has closed the connection: the next
// read sees EOF (or a reset) rather than data or a timeout. It waits at
// most Timeout.
func (c *Conn) Closed() bool {
	c.SetReadDeadline(time.Now().Add(Timeout))
	_, err := c.R.ReadByte()
	return err == io.EOF || isReset(err)
}

func isReset(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe"))
}

// Response is one response as it came over the wire.
type Response struct {
	Proto  string // "HTTP/1.1", or "" for an HTTP/0.9 response (body only)
	Status int
	Reason string
	Fields []string // the field lines as sent, without line ends
	Header http.Header
	// Chunked reports that the body came in the chunked coding; Body holds
	// it decoded.
	Chunked bool
	// CloseDelimited reports that the body had neither Content-Length nor
	// chunked coding and ended when the connection closed.
	CloseDelimited bool
	Body           string
}

// String formats the response for test failures.
func (r *Response) String() string {
	return fmt.Sprintf("%s %d %s %q body=%q", r.Proto, r.Status, r.Reason, r.Fields, r.Body)
}

// ReadResponse reads one response to a request with the given method from
// br. A response that does not start with "HTTP/" is an HTTP/0.9 response
// or a bare error page: all of it up to the close is the body.
func ReadResponse(br *bufio.Reader, method string) (*Response, error) {
	peek, err := br.Peek(5)
	if len(peek) == 0 {
		return nil, err
	}
	if string(peek) != "HTTP/" {
		b, err := io.ReadAll(br)
		if err != nil && !isReset(err) {
			return nil, err
		}
		return &Response{Body: string(b), CloseDelimited: true}, nil
	}
	line, err := readLine(br)
	if err != nil {
		return nil, err
	}
	proto, rest, _ := strings.Cut(line, " ")
	code, reason, _ := strings.Cut(rest, " ")
	status, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 {
		return nil, fmt.Errorf("malformed status line %q", line)
	}
	r := &Response{Proto: proto, Status: status, Reason: reason, Header: http.Header{}}
	for {
		line, err := readLine(br)
		if err != nil {
			return nil, fmt.Errorf("reading fields: %w", err)
		}
		if line == "" {
			break
		}
		r.Fields = append(r.Fields, line)
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed field line %q", line)
		}
		r.Header.Add(name, strings.TrimSpace(value))
	}
	switch {
	case status < 200, status == 204, status == 304, method == http.MethodHead:
		return r, nil
	case r.Header.Get("Transfer-Encoding") != "":
		if r.Header.Get("Transfer-Encoding") != "chunked" {
			return nil, fmt.Errorf("unexpected Transfer-Encoding %q", r.Header.Get("Transfer-Encoding"))
		}
		r.Chunked = true
		var body bytes.Buffer
		for {
			line, err := readLine(br)
			if err != nil {
				return nil, fmt.Errorf("reading chunk size: %w", err)
			}
			size, err := strconv.ParseInt(line, 16, 64)
			if err != nil {
				return nil, fmt.Errorf("bad chunk size line %q", line)
			}
			if size == 0 {
				if line, err := readLine(br); err != nil || line != "" {
					return nil, fmt.Errorf("bad end of chunked body: %q, %v", line, err)
				}
				break
			}
			if _, err := io.CopyN(&body, br, size); err != nil {
				return nil, fmt.Errorf("reading chunk: %w", err)
			}
			if line, err := readLine(br); err != nil || line != "" {
				return nil, fmt.Errorf("missing CRLF after chunk: %q, %v", line, err)
			}
		}
		r.Body = body.String()
	case r.Header.Get("Content-Length") != "":
		n, err := strconv.ParseInt(r.Header.Get("Content-Length"), 10, 64)
		if err != nil {
			return nil, err
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, fmt.Errorf("reading %d body bytes: %w", n, err)
		}
		r.Body = string(b)
	default:
		r.CloseDelimited = true
		b, err := io.ReadAll(br)
		if err != nil && !isReset(err) {
			return nil, err
		}
		r.Body = string(b)
	}
	return r, nil
}

// readLine reads a CRLF-terminated line; a bare LF is an error, since the
// server must never send one.
func readLine(br *bufio.Reader) (string, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return line, err
	}
	if !strings.HasSuffix(line, "\r\n") {
		return line, fmt.Errorf("line %q does not end in CRLF", line)
	}
	return line[:len(line)-2], nil
}

// SyncBuffer is a bytes.Buffer that is safe for concurrent use: a Log for
// a server whose connections write from many goroutines.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what has been written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Reset empties the buffer.
func (b *SyncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
