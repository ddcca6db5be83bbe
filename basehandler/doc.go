// Package basehandler is httpserve's HTTP/1.x engine: Python's
// BaseHTTPRequestHandler and ThreadingHTTPServer, written as Go types.
//
// Three types have three lifetimes, as in net/http. A [Server] holds the
// configuration and accepts connections; an unexported conn lives as long
// as one TCP connection and runs the keep-alive loop (Python's handle());
// a [Request] and a [Response] live for one exchange. A [Handler] answers
// requests and, being shared by every connection, holds configuration
// only.
//
// # The protocol, in order
//
// A request head is read by readRequest (Python's parse_request) in
// request.go: the request line (RFC 9112 section 3), the field lines
// (section 5) and the body framing (section 6). The body is read through
// [Request.Body] (body.go), which de-chunks and enforces Content-Length.
// The handler answers through [Response] (response.go), whose methods are
// Python's: SendResponse, SendHeader, EndHeaders, SendError. The connection
// loop (conn.go) decides once per request whether the connection stays
// open, drains what the handler left of the body, and goes on.
//
// # Python compatibility
//
// Status codes, reason phrases, error pages and log lines are Python's,
// byte for byte, with these deliberate differences, each asserted by a
// test:
//
//   - A malformed request gets a status line with its 4xx (Python sends a
//     bare HTML page when it could not parse the version).
//   - RFC 9112 MUSTs are enforced: an HTTP/1.1 request without a Host, a
//     request with two, whitespace before a field name's colon, an invalid
//     field name or value, ambiguous body framing (Content-Length with
//     Transfer-Encoding, differing Content-Lengths, bad chunk framing,
//     chunk extensions out of proportion to the data as net/http judges
//     it) and a method that is not a token are answered with 400 and the
//     connection closes. A target that is not origin-, absolute-, asterisk- or
//     authority-form, or that holds control characters, is a 400 too.
//   - Request bodies are framed: a body the handler does not read is
//     discarded (or the connection closed), never parsed as a request.
//   - A body without Content-Length is chunked for an HTTP/1.1 client on a
//     kept-alive connection, and closes the connection otherwise; an
//     HTTP/1.0 client that asked for keep-alive is told "Connection:
//     keep-alive".
//   - "100 Continue" is sent when the handler first reads the body, not as
//     soon as the head arrives, so a refused upload is never sent.
//   - A reason phrase is sent as ISO-8859-1, as Python encodes it; a
//     character outside it becomes "?" and a control character a space
//     (Python raises UnicodeEncodeError and sends nothing).
//   - Up to four empty lines before a request line are skipped (RFC 9112
//     section 2.2); Python closes the connection.
//   - The head is sent with the first body bytes instead of in a write of
//     its own: one packet instead of two for small responses.
//   - Timeouts: a head must arrive within HeaderTimeout, an idle
//     connection closes after IdleTimeout, each body read and write must
//     progress within ReadTimeout and WriteTimeout, and what a handler
//     left of a body must arrive within one ReadTimeout. Python waits
//     forever.
package basehandler
