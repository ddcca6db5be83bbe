package basehandler

import (
	"io"
	"net"
	"time"
)

// fakeConn is a net.Conn over a reader and a writer, for tests that drive
// a conn without a socket: the fuzzers and the allocation tests.
type fakeConn struct {
	r io.Reader
	w io.Writer
}

func (c *fakeConn) Read(p []byte) (int, error)       { return c.r.Read(p) }
func (c *fakeConn) Write(p []byte) (int, error)      { return c.w.Write(p) }
func (c *fakeConn) Close() error                     { return nil }
func (c *fakeConn) LocalAddr() net.Addr              { return fakeAddr("127.0.0.1:8000") }
func (c *fakeConn) RemoteAddr() net.Addr             { return fakeAddr("127.0.0.1:54321") }
func (c *fakeConn) SetDeadline(time.Time) error      { return nil }
func (c *fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fakeConn) SetWriteDeadline(time.Time) error { return nil }

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }

// Request heads of real clients, for the benchmarks and as fuzz seeds.
var (
	// curlHead is what curl 8 sends for "curl http://localhost:8000/".
	curlHead = "GET /index.html HTTP/1.1\r\n" +
		"Host: localhost:8000\r\n" +
		"User-Agent: curl/8.5.0\r\n" +
		"Accept: */*\r\n" +
		"\r\n"
	// chromeHead is Chrome 120 revalidating a page: long values, many
	// fields, the lower-case sec-ch-ua names it sends over HTTP/1.1.
	chromeHead = "GET /docs/index.html?lang=en HTTP/1.1\r\n" +
		"Host: localhost:8000\r\n" +
		"Connection: keep-alive\r\n" +
		"Cache-Control: max-age=0\r\n" +
		"sec-ch-ua: \"Not_A Brand\";v=\"8\", \"Chromium\";v=\"120\", \"Google Chrome\";v=\"120\"\r\n" +
		"sec-ch-ua-mobile: ?0\r\n" +
		"sec-ch-ua-platform: \"Linux\"\r\n" +
		"Upgrade-Insecure-Requests: 1\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n" +
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n" +
		"Sec-Fetch-Site: same-origin\r\n" +
		"Sec-Fetch-Mode: navigate\r\n" +
		"Sec-Fetch-User: ?1\r\n" +
		"Sec-Fetch-Dest: document\r\n" +
		"Referer: http://localhost:8000/docs/\r\n" +
		"Accept-Encoding: gzip, deflate, br\r\n" +
		"Accept-Language: en-US,en;q=0.9\r\n" +
		"If-None-Match: \"65a1f2c3-1a2b\"\r\n" +
		"If-Modified-Since: Sat, 21 Nov 2026 16:19:40 GMT\r\n" +
		"\r\n"
	// wrkHead is the minimal request of a load generator (wrk, ab, hey):
	// the parser's fixed costs with almost no fields.
	wrkHead = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n"
)
