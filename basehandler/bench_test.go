package basehandler

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
)

// infiniteReader repeats buf forever, as net/http's benchmarkReadRequest
// does, so that a benchmark parses the same head again and again from a
// bufio.Reader that never runs dry.
type infiniteReader struct {
	buf    []byte
	offset int
}

func (r *infiniteReader) Read(p []byte) (int, error) {
	n := copy(p, r.buf[r.offset:])
	r.offset = (r.offset + n) % len(r.buf)
	return n, nil
}

// readRequestFixtures are the heads the parser benchmarks replay.
var readRequestFixtures = []struct{ name, head string }{
	{"curl", curlHead},
	{"chrome", chromeHead},
	{"wrk", wrkHead},
}

func BenchmarkReadRequest(b *testing.B) {
	for _, fx := range readRequestFixtures {
		b.Run(fx.name, func(b *testing.B) {
			h := headReader{br: bufio.NewReaderSize(&infiniteReader{buf: []byte(fx.head)}, 4096)}
			b.SetBytes(int64(len(fx.head)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.readRequest("HTTP/1.1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNetHTTPReadRequest is the baseline: net/http's parser on the
// same heads.
func BenchmarkNetHTTPReadRequest(b *testing.B) {
	for _, fx := range readRequestFixtures {
		b.Run(fx.name, func(b *testing.B) {
			br := bufio.NewReaderSize(&infiniteReader{buf: []byte(fx.head)}, 4096)
			b.SetBytes(int64(len(fx.head)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := http.ReadRequest(br); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// smallBody is the response of the serving benchmarks: 1 KiB, a small
// file or a directory listing.
var smallBody = bytes.Repeat([]byte("0123456789abcdef"), 64)

// BenchmarkServeSmall measures one exchange over a loopback keep-alive
// connection: the curl head parsed, dispatched, and answered with
// Content-Length and 1 KiB. BenchmarkNetHTTPServeSmall is the same with
// net/http.
func BenchmarkServeSmall(b *testing.B) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{
		Protocol: "HTTP/1.1",
		Log:      io.Discard,
		Handler: HandlerFunc(func(w *Response, r *Request) {
			w.SendResponse(http.StatusOK)
			w.SendHeader("Content-Type", "text/plain")
			w.SendHeader("Content-Length", strconv.Itoa(len(smallBody)))
			w.EndHeaders()
			w.Write(smallBody)
		}),
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	benchmarkServe(b, ln.Addr().String())
}

func BenchmarkNetHTTPServeSmall(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", strconv.Itoa(len(smallBody)))
		w.Write(smallBody)
	})}
	go s.Serve(ln)
	defer s.Close()
	benchmarkServe(b, ln.Addr().String())
}

// benchmarkServe sends curlHead on one connection, again and again, and
// reads each response: head up to the empty line, then Content-Length
// bytes. The client allocates nothing, so allocs/op are the server's.
func benchmarkServe(b *testing.B, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	req := []byte(curlHead)
	b.SetBytes(int64(len(smallBody)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		length := -1
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				b.Fatal(err)
			}
			if len(line) == 2 {
				break
			}
			if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
				length = 0
				for _, d := range bytes.TrimSpace(v) {
					length = length*10 + int(d-'0')
				}
			}
		}
		if length != len(smallBody) {
			b.Fatal(fmt.Errorf("response Content-Length %d, want %d", length, len(smallBody)))
		}
		if _, err := br.Discard(length); err != nil {
			b.Fatal(err)
		}
	}
}
