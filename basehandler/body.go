package basehandler

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
)

// noBody is the Body of a request without one.
type noBody struct{}

func (noBody) Read([]byte) (int, error) { return 0, io.EOF }

// body reads a request body framed by Content-Length or by the chunked
// transfer coding (RFC 9112 sections 6.2 and 7.1). Errors are sticky: once
// the framing is found broken, the connection can carry nothing more.
type body struct {
	c       *conn
	br      *bufio.Reader
	chunked bool
	left    int64 // bytes left: of the body, or of the current chunk
	state   chunkState
	excess  int64 // chunk framing bytes beyond the allowance; see readChunkSize
	err     error // sticky: io.EOF once the body is complete
	// discarding: the server reads what the handler left, within one
	// deadline that Read must not renew (see discard).
	discarding bool
}

type chunkState uint8

const (
	chunkSize    chunkState = iota // expecting a chunk-size line
	chunkData                      // inside chunk-data, left bytes to go
	chunkDataEnd                   // expecting the CRLF after chunk-data
)

// maxTrailerLines bounds the trailer section, like the header section.
const maxTrailerLines = maxHeaderLines

func (b *body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	b.c.sendContinue()
	if !b.discarding {
		b.c.setReadDeadline(b.c.server.readTimeout())
	}
	var n int
	if b.chunked {
		n, b.err = b.readChunked(p)
	} else {
		n, b.err = b.readFixed(p)
	}
	if b.err == io.EOF {
		b.c.bodyDone()
	}
	return n, b.err
}

func (b *body) readFixed(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.br.Read(p)
	b.left -= int64(n)
	if err == io.EOF {
		return n, io.ErrUnexpectedEOF
	}
	if err == nil && b.left == 0 {
		err = io.EOF
	}
	return n, err
}

func (b *body) readChunked(p []byte) (int, error) {
	for {
		switch b.state {
		case chunkSize:
			size, err := b.readChunkSize()
			if err != nil {
				return 0, err
			}
			if size == 0 {
				return 0, b.readTrailer()
			}
			b.left, b.state = size, chunkData
		case chunkData:
			if len(p) == 0 {
				return 0, nil
			}
			if int64(len(p)) > b.left {
				p = p[:b.left]
			}
			n, err := b.br.Read(p)
			b.left -= int64(n)
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if b.left == 0 {
				b.state = chunkDataEnd
			}
			return n, err
		case chunkDataEnd:
			if err := b.readCRLF(); err != nil {
				return 0, err
			}
			b.state = chunkSize
		}
	}
}

// readChunkLine reads one line of the chunked framing. Unlike the head,
// framing lines must end in CRLF: accepting a bare LF here is how a
// front end and a back end come to disagree about where a body ends
// (CVE-2025-22871).
func (b *body) readChunkLine() ([]byte, error) {
	line, err := b.br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		return nil, badRequest("Chunk line too long")
	case err == io.EOF:
		return nil, io.ErrUnexpectedEOF
	case err != nil:
		return nil, err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, badRequest("Bad chunk line ending")
	}
	line = line[:len(line)-2]
	if bytes.IndexByte(line, '\r') >= 0 {
		return nil, badRequest("Bad chunk line")
	}
	return line, nil
}

// readChunkSize parses
//
//	chunk      = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//	chunk-size = 1*HEXDIG
//	chunk-ext  = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//
// Extensions are ignored, as RFC 9112 section 7.1.1 allows.
func (b *body) readChunkSize() (int64, error) {
	line, err := b.readChunkLine()
	if err != nil {
		return 0, err
	}
	var size int64
	i := 0
	for ; i < len(line); i++ {
		d := unhex(line[i])
		if d < 0 {
			break
		}
		if size >= 1<<59 {
			return 0, badRequest("Chunk size too large")
		}
		size = size<<4 | int64(d)
	}
	if i == 0 {
		return 0, badRequest("Bad chunk size")
	}
	ext := bytes.TrimLeft(line[i:], " \t")
	if len(ext) > 0 && (ext[0] != ';' || !validFieldValue(ext)) {
		return 0, badRequest("Bad chunk extension")
	}
	// Extensions are ignored, but they are read: long ones on tiny chunks
	// would make the server read far more than the body, even the 256 KiB
	// it discards (CVE-2023-39326). net/http's rule: each chunk may carry
	// 16 bytes of framing plus twice its data, and 16 KiB beyond that in
	// all. The line and the CRLF after the data count as framing.
	b.excess += int64(len(line)) + 2 - 16 - 2*min(size, 1<<40)
	b.excess = max(b.excess, 0)
	if b.excess > 16<<10 {
		return 0, badRequest("Too much chunk overhead")
	}
	return size, nil
}

func (b *body) readCRLF() error {
	var crlf [2]byte
	if _, err := io.ReadFull(b.br, crlf[:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	if crlf != [2]byte{'\r', '\n'} {
		return badRequest("Missing CRLF after chunk data")
	}
	return nil
}

// readTrailer reads and drops the trailer section (RFC 9112 section 7.1.2):
// field lines up to an empty line. Nothing the server does depends on
// trailer fields.
func (b *body) readTrailer() error {
	for range maxTrailerLines {
		line, err := b.readChunkLine()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			return io.EOF
		}
		name, _, found := bytes.Cut(line, []byte(":"))
		if !found || !isToken(name) {
			return badRequest("Bad trailer line")
		}
	}
	return &ProtocolError{Status: http.StatusRequestHeaderFieldsTooLarge, Message: "Too many trailer lines"}
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// discard reads what is left of the body, up to limit bytes, so that the
// connection can carry the next request. It reports whether the body ended
// cleanly within the limit. All of it must arrive within one ReadTimeout:
// renewed at each read, the deadline would let a client that trickles the
// body hold the connection for as long as limit reads may take.
func (b *body) discard(limit int64) bool {
	if b.err != nil {
		return b.err == io.EOF
	}
	b.c.setReadDeadline(b.c.server.readTimeout())
	b.discarding = true
	n, err := io.CopyN(io.Discard, b, limit+1)
	return err == io.EOF && n <= limit
}

// done reports whether the body has been read to its end.
func (b *body) done() bool { return b.err == io.EOF }
