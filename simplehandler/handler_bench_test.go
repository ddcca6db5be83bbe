package simplehandler

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/httpserve/httpserve/basehandler"
)

// The benchmarks serve the same file with httpserve and with
// net/http.FileServer, to the same client: one keep-alive HTTP/1.1
// connection on loopback, a request written, the response read in full.
// The file is 1 KiB, the size of an icon or a short script, where the
// cost per request (parsing, opening, stat, headers, logging) outweighs
// the copying. The allocations counted are the whole process's: server
// and client, whose share is the same for both.

const benchSize = 1 << 10

func benchFile(b *testing.B) string {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bench.txt"), bytes.Repeat([]byte("x"), benchSize), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// rawClient sends GETs on one connection and reads each response: the
// head line by line, noting only Content-Length, then that many bytes.
// It allocates nothing per request.
type rawClient struct {
	conn       net.Conn
	br         *bufio.Reader
	req        []byte
	wantStatus []byte // the start of the status line
	wantLength int
}

// dialRaw connects a client that GETs target, with the header lines
// extra ("Name: value\r\n" each), and expects 200 and benchSize bytes.
func dialRaw(b *testing.B, addr, target, extra string) *rawClient {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return &rawClient{
		conn:       conn,
		br:         bufio.NewReaderSize(conn, 16<<10),
		req:        []byte("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n" + extra + "\r\n"),
		wantStatus: []byte("HTTP/1.1 200 "),
		wantLength: benchSize,
	}
}

var errBenchResponse = errors.New("unexpected response")

func (c *rawClient) get() error {
	if _, err := c.conn.Write(c.req); err != nil {
		return err
	}
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, c.wantStatus) {
		return errBenchResponse
	}
	length := -1
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		if name, value, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(name, []byte("Content-Length")) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(value))); err != nil {
				return err
			}
		}
	}
	if length != c.wantLength {
		return errBenchResponse
	}
	_, err = c.br.Discard(length)
	return err
}

func runBench(b *testing.B, c *rawClient) {
	if err := c.get(); err != nil { // warm up: connection, pools, page cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(c.wantLength))
	for b.Loop() {
		if err := c.get(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkServeFile(b *testing.B) {
	addr := serveBench(b, newHandler(b, benchFile(b), false))
	runBench(b, dialRaw(b, addr, "/bench.txt", ""))
}

func BenchmarkNetHTTPServeFile(b *testing.B) {
	addr := serveNetHTTPBench(b, benchFile(b))
	runBench(b, dialRaw(b, addr, "/bench.txt", ""))
}

// serveBench serves h on a loopback port for a benchmark, with HTTP/1.1
// keep-alive, and returns its address. The log is discarded, but each
// line is still formatted.
func serveBench(b *testing.B, h *Handler) string {
	ln, err := basehandler.Listen("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &basehandler.Server{Handler: h, Protocol: "HTTP/1.1", Log: io.Discard}
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- srv.Serve(ctx, ln) }()
	b.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// serveNetHTTPBench is serveBench for the baseline, net/http's
// FileServer on dir.
func serveNetHTTPBench(b *testing.B, dir string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// The range benchmarks fetch 64 KiB from the middle of a 1 MiB file, as a
// video player seeking or a download manager fetching one piece does, on
// one keep-alive connection. The bytes go by sendfile(2) in both servers;
// what differs is the cost of parsing the Range, the validators and the
// head.

const (
	rangeBenchFile   = 1 << 20
	rangeBenchHeader = "Range: bytes=524288-589823\r\n"
	rangeBenchLength = 65536
)

func rangeBenchDir(b *testing.B) string {
	dir := b.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), rangeBenchFile/16)
	if err := os.WriteFile(filepath.Join(dir, "bench.bin"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func dialRange(b *testing.B, addr string) *rawClient {
	c := dialRaw(b, addr, "/bench.bin", rangeBenchHeader)
	c.wantStatus = []byte("HTTP/1.1 206 ")
	c.wantLength = rangeBenchLength
	return c
}

func BenchmarkRange(b *testing.B) {
	runBench(b, dialRange(b, serveBench(b, newHandler(b, rangeBenchDir(b), false))))
}

func BenchmarkNetHTTPRange(b *testing.B) {
	runBench(b, dialRange(b, serveNetHTTPBench(b, rangeBenchDir(b))))
}
