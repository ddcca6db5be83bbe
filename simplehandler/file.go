// Serving one regular file: Python's send_head from the open file on,
// grown the validators of conditional.go, the ranges of range.go and the
// codings of compress.go.
//
// The head of a 200 is Python's, then httpserve's fields:
//
//	Content-type: text/plain; charset=utf-8
//	Content-Length: 13                        (absent when compressed on the fly)
//	Content-Encoding: gzip                    (when compressed)
//	Last-Modified: Tue, 02 Jan 2024 03:04:05 GMT
//	ETag: "17a6b9c1d2e3f400-d-5b2a1"
//	Accept-Ranges: bytes
//	Vary: Accept-Encoding                     (with Compress, when the coding could differ)
//	X-Content-Type-Options: nosniff
//	Access-Control-Allow-Origin: *            (with CORS, and Access-Control-Expose-Headers)
//
// A 206 has Content-Range after Content-Length; a 304 has ETag, and Vary
// and the CORS fields when a 200 would have them.

package simplehandler

import (
	"io"
	"io/fs"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/httpserve/httpserve/basehandler"
)

// sendFile answers with f, the regular file rel: 304 or 412 when a
// precondition says so, 206 or 416 for a Range, else 200 with the headers
// of Python's send_head and httpserve's. It returns the body for DoGET to
// send, or a zero fileBody (every file closed) when it has answered.
func (h *Handler) sendFile(w *basehandler.Response, r *basehandler.Request, f *os.File, info fs.FileInfo, rel string) fileBody {
	head := fileHead{f: f}
	ctype := ContentType(rel, head.read)
	head.release()

	rep := h.negotiate(w, r, rel, ctype, f, info)
	v := validators{etag: rep.etag(), modtime: rep.info.ModTime()}
	switch status := checkPreconditions(r.Header, r.Method, v); status {
	case http.StatusNotModified:
		rep.f.Close()
		h.sendNotModified(w, v.etag, rep.vary)
		return fileBody{}
	case http.StatusPreconditionFailed:
		rep.f.Close()
		w.SendError(status, "")
		return fileBody{}
	}
	if rep.coding == identity {
		if body, answered := h.sendRanges(w, r, &rep, ctype, v); answered {
			return body
		}
	}

	w.SendResponse(http.StatusOK)
	w.SendHeader("Content-type", ctype)
	if !rep.onTheFly {
		sendInt(w, "Content-Length", rep.info.Size())
	}
	if rep.coding != identity {
		w.SendHeader("Content-Encoding", rep.coding.token())
	}
	h.sendFileHeaders(w, v, rep.vary)
	w.EndHeaders()
	body := fileBody{f: rep.f}
	if rep.onTheFly {
		body.coding = rep.coding
	}
	return body
}

// sendRanges answers a request with Range for the identity bytes of rep:
// 206 with one range or a multipart body, or 416, and reports that it
// answered. It does not answer, and the whole file is sent, when there is
// no Range, when If-Range does not match, or when the Range is ignored
// (range.go).
func (h *Handler) sendRanges(w *basehandler.Response, r *basehandler.Request, rep *representation, ctype string, v validators) (fileBody, bool) {
	lines := r.Header["Range"]
	if len(lines) != 1 || checkIfRange(r.Header, v) == condFalse {
		return fileBody{}, false
	}
	size := rep.info.Size()
	var buf [2]httpRange
	ranges, outcome := parseRange(lines[0], size, buf[:0])
	switch outcome {
	case rangeIgnored:
		return fileBody{}, false
	case rangeUnsatisfiable:
		rep.f.Close()
		h.sendRangeNotSatisfiable(w, size)
		return fileBody{}, true
	}
	if len(ranges) == 1 {
		ra := ranges[0]
		// The body is the file from here on, and Content-Length ends it:
		// [basehandler.Response.ReadFrom] never sends more, so io.Copy of
		// the file still goes to sendfile(2).
		if _, err := rep.f.Seek(ra.start, io.SeekStart); err != nil {
			rep.f.Close()
			w.LogError("seeking in %q: %v", r.Path, err)
			w.SendError(http.StatusInternalServerError, "")
			return fileBody{}, true
		}
		w.SendResponse(http.StatusPartialContent)
		w.SendHeader("Content-type", ctype)
		sendInt(w, "Content-Length", ra.length)
		w.SendHeader("Content-Range", ra.contentRange(size))
		h.sendFileHeaders(w, v, rep.vary)
		w.EndHeaders()
		return fileBody{f: rep.f}, true
	}
	parts := &multipartRanges{ranges: slices.Clone(ranges), boundary: newBoundary(), ctype: ctype, size: size}
	w.SendResponse(http.StatusPartialContent)
	w.SendHeader("Content-type", parts.contentType())
	sendInt(w, "Content-Length", parts.contentLength())
	h.sendFileHeaders(w, v, rep.vary)
	w.EndHeaders()
	return fileBody{f: rep.f, parts: parts}, true
}

// sendFileHeaders sends the fields that follow the type and length of a
// 200 or 206.
func (h *Handler) sendFileHeaders(w *basehandler.Response, v validators, vary bool) {
	var date [len(http.TimeFormat)]byte
	w.SendHeader("Last-Modified", string(v.modtime.UTC().AppendFormat(date[:0], http.TimeFormat)))
	w.SendHeader("ETag", v.etag)
	w.SendHeader("Accept-Ranges", "bytes")
	if vary {
		w.SendHeader("Vary", "Accept-Encoding")
	}
	// The type may come from sniffing; browsers must not sniff again and
	// promote text to HTML.
	w.SendHeader("X-Content-Type-Options", "nosniff")
}

// sendNotModified answers 304. Python sends the status line, Server and
// Date, and nothing else. RFC 9110 section 15.4.5 requires the ETag and
// Vary that a 200 would carry, so that a cache can tell which stored
// response is fresh again, and they are sent too. Last-Modified is not:
// with an ETag, the section advises against other metadata.
func (h *Handler) sendNotModified(w *basehandler.Response, etag string, vary bool) {
	w.SendResponse(http.StatusNotModified)
	w.SendHeader("ETag", etag)
	if vary {
		w.SendHeader("Vary", "Accept-Encoding")
	}
	w.EndHeaders()
}

// sendInt sends a header field whose value is the decimal n.
func sendInt(w *basehandler.Response, name string, n int64) {
	var num [20]byte
	w.SendHeader(name, string(strconv.AppendInt(num[:0], n, 10)))
}

// fileHead reads the first bytes of a file for [SniffType], into a buffer
// borrowed from headPool for the length of one request. ReadAt leaves the
// file offset at 0, where the body starts.
type fileHead struct {
	f   *os.File
	buf *[mimeSniffLen]byte
}

var headPool = sync.Pool{New: func() any { return new([mimeSniffLen]byte) }}

func (h *fileHead) read() []byte {
	h.buf = headPool.Get().(*[mimeSniffLen]byte)
	n, _ := h.f.ReadAt(h.buf[:], 0) // io.EOF for a short file; a failed read sniffs what it got
	return h.buf[:n]
}

func (h *fileHead) release() {
	if h.buf != nil {
		headPool.Put(h.buf)
		h.buf = nil
	}
}
