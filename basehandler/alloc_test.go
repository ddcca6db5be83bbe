//go:build !race

package basehandler

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// The race detector allocates on its own, so these tests need !race.

// TestResponseAllocs requires that answering allocates nothing (STYLE
// §21): the status line, the Server and Date fields, the log line, the
// handler's fields, the framing fields and the body writes.
func TestResponseAllocs(t *testing.T) {
	s := &Server{Log: io.Discard, Version: "httpserve/test", Protocol: "HTTP/1.1"}
	c := s.newConn(&fakeConn{r: strings.NewReader(""), w: io.Discard})
	body := make([]byte, 1024)
	tests := []struct {
		name  string
		proto string
		fn    func(w *Response)
	}{
		{"head only", "HTTP/1.1", func(w *Response) {
			w.SendResponse(http.StatusOK)
			w.SendHeader("Content-Type", "text/html; charset=utf-8")
			w.SendHeader("Content-Length", "1024")
			w.SendHeader("Last-Modified", "Sat, 21 Nov 2026 16:19:40 GMT")
			w.EndHeaders()
		}},
		{"Content-Length body", "HTTP/1.1", func(w *Response) {
			w.SendResponse(http.StatusOK)
			w.SendHeader("Content-Length", "1024")
			w.EndHeaders()
			w.Write(body)
		}},
		{"chunked body", "HTTP/1.1", func(w *Response) {
			w.SendResponse(http.StatusOK)
			w.EndHeaders()
			w.Write(body)
			w.Write(body)
		}},
		{"HTTP/1.0 304", "HTTP/1.0", func(w *Response) {
			w.SendResponse(http.StatusNotModified)
			w.EndHeaders()
		}},
		{"HEAD", "HTTP/1.1", func(w *Response) {
			w.req.Method = http.MethodHead
			w.SendResponse(http.StatusOK)
			w.SendHeader("Content-Length", "1024")
			w.EndHeaders()
			w.Write(body)
		}},
		{"log line alone", "HTTP/1.1", func(w *Response) {
			w.c.logRequest(w.req, http.StatusOK)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &Request{Method: http.MethodGet, Proto: tt.proto, ProtoMajor: 1, ProtoMinor: 1,
				RequestLine: "GET /index.html " + tt.proto, Header: http.Header{}, Body: noBody{}}
			if tt.proto == "HTTP/1.0" {
				req.ProtoMinor = 0
			}
			w := new(Response)
			allocs := testing.AllocsPerRun(1000, func() {
				req.Method = http.MethodGet
				*w = Response{c: c, req: req, contentLength: -1}
				tt.fn(w)
				w.finish()
			})
			if allocs != 0 {
				t.Errorf("%v allocations per response, want 0", allocs)
			}
		})
	}
}

// maxReadRequestAllocs is the allocation budget of readRequest for the
// curl head (STYLE §21). Measured: 12 with Go 1.26 (the Request, the
// header map, the request line, target and version strings, and a string
// and a slice for each of the three field values); the budget leaves room
// for one more.
const maxReadRequestAllocs = 13

func TestReadRequestAllocs(t *testing.T) {
	tests := []struct {
		name string
		head string
		max  float64
	}{
		{"curl", curlHead, maxReadRequestAllocs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := headReader{br: bufio.NewReaderSize(&infiniteReader{buf: []byte(tt.head)}, 4096)}
			allocs := testing.AllocsPerRun(1000, func() {
				if _, err := h.readRequest("HTTP/1.1"); err != nil {
					t.Fatal(err)
				}
			})
			t.Logf("%v allocations per head", allocs)
			if allocs > tt.max {
				t.Errorf("%v allocations per head, want at most %v", allocs, tt.max)
			}
		})
	}
}

// TestFoldedHeadMemory bounds what a head of folded lines costs: 99
// continuation lines of 64 KiB each are allowed (Python's limits), and
// joining them one at a time into a growing string would allocate about
// 50 times the head's size. Appending to one slice costs about 6 (append
// grows large slices by a quarter at a time).
func TestFoldedHeadMemory(t *testing.T) {
	line := strings.Repeat("a", maxLineLength-3) // with " " and CRLF: the longest line
	head := "GET / HTTP/1.1\r\nHost: a\r\nX-Fold: b\r\n" + strings.Repeat(" "+line+"\r\n", maxHeaderLines-3) + "\r\n"
	h := headReader{br: bufio.NewReaderSize(bytes.NewReader([]byte(head)), 4096)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := h.readRequest("HTTP/1.1")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(r.Header.Get("X-Fold")), 2+(maxHeaderLines-3)*(len(line)+1)-1; got != want {
		t.Errorf("folded value is %d bytes, want %d", got, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*uint64(len(head)) {
		t.Errorf("reading a %d-byte head allocated %d bytes, want at most 8 times the head", len(head), alloc)
	}
}
