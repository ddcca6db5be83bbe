// Package simplehandler serves the files of a directory: Python's
// SimpleHTTPRequestHandler (http.server, Python 3.11), as a
// [basehandler.Handler], with what a static file server needs beyond it:
// validators, ranges, CORS, listing options and compression.
//
// [Handler.ServeRequest] dispatches GET to [Handler.DoGET] and HEAD to
// [Handler.DoHEAD], and answers anything else with 501 "Unsupported method
// ('POST')" (OPTIONS too, unless [Handler.CORS] is set). Both run Python's
// send_head:
//
//   - The request path becomes a file name with [Handler.TranslatePath]
//     (path.go): the query and fragment are dropped, %XX is decoded, and
//     the path is normalised so that nothing outside the directory can be
//     named. Files are opened through an [os.Root] as well.
//   - A directory named without a trailing slash is redirected, with 301
//     and the slash added to the path (the query kept). One named with it
//     is answered with its index.html, else its index.htm, else a listing
//     from package listing (listdir.go).
//   - A file is answered with 200, Content-type (mime.go), Content-Length
//     and Last-Modified, then ETag, Accept-Ranges and
//     X-Content-Type-Options (file.go), and DoGET sends its bytes with
//     sendfile(2).
//     A file named with a trailing slash, a missing file and one that
//     cannot be opened get 404 "File not found"; a directory that cannot
//     be listed gets 404 "No permission to list directory".
//   - The preconditions of RFC 9110 section 13 are evaluated in the order
//     of its section 13.2.2 (conditional.go): If-Match and
//     If-Unmodified-Since (412), If-None-Match (304), and, as Python does
//     and only when If-None-Match is absent, If-Modified-Since (304), to
//     the second.
//   - Range (RFC 9110 section 14, range.go) gets 206 with one range or a
//     multipart/byteranges body, or 416; If-Range decides whether it is
//     honoured. Overlapping ranges are coalesced and long lists ignored,
//     so a Range field cannot amplify traffic.
//
// Options, all off by default (Python's behaviour):
//
//   - [Handler.Listing], [Handler.NoListing], [Handler.HideDotfiles]: the
//     order of listings, 403 instead of a listing, and dot-files hidden
//     from listings and answered 404 (listdir.go).
//   - [Handler.CORS]: Access-Control-Allow-Origin: * and preflight
//     answers (cors.go).
//   - [Handler.Compress]: zstd or gzip for clients that take them, and
//     precompressed .zst, .br and .gz siblings (compress.go).
//
// Header names, their order and the status lines are Python's, down to
// "Content-type" with a lower-case t; httpserve's fields come after
// Python's.
//
// # Python compatibility
//
// These differences are deliberate; each is checked by a test.
//
//   - A URL path is decoded to raw bytes, the way Linux names files,
//     rather than to UTF-8 text. A file whose name is not UTF-8 is reached
//     as %FF.txt, and Python's own links to such files, %ED%B3%BF.txt (the
//     UTF-8 of the surrogate escape U+DCFF), still work. Python answers 404
//     to %FF.txt, decoding it to U+FFFD.
//   - Bytes above 0x7F that the client did not percent-encode (curl sends
//     "é" as it is) name the file with those bytes. Python reads them as
//     ISO-8859-1 and looks for their UTF-8 encoding, so curl
//     http://localhost:8000/é gets 404 from Python.
//   - A path that decodes to a NUL byte (%00) gets 400 "Bad request
//     path". Python raises ValueError and closes the connection without an
//     answer.
//   - A symlink that leads outside the served directory gets 404 "File not
//     found" and a log line, unless [Handler.FollowSymlinks] is set
//     (--follow-symlinks). Python follows every symlink. An index.html
//     that is such a symlink is skipped for index.htm or the listing.
//     Symlinks that stay inside, absolute ones included, are followed.
//   - Only regular files are served. A FIFO, a device or a socket gets
//     404: Python blocks forever opening a FIFO with no writer and sends
//     what a device yields.
//   - Files are sent with X-Content-Type-Options: nosniff, and text types
//     with "; charset=utf-8"; a file whose extension is unknown is typed
//     from its first bytes, never as HTML or script (see [ContentType]).
//     Python sends application/octet-stream.
//   - In the Location of the trailing-slash redirect, a backslash is sent
//     as %5C: browsers read "/\evil.example/" as "//evil.example/", a
//     redirect to another site, which Python 3.11 sends for
//     GET /\evil.example/.. .
//   - For an absolute-form request ("GET http://host/dir HTTP/1.1"), the
//     path is served and the redirect names the path only. Python looks
//     for a directory named "http:" and answers 404.
//   - If-Modified-Since must be an HTTP date in one of the three forms of
//     RFC 9110 section 5.6.7, in GMT. Python also accepts the other forms
//     of RFC 5322 (numeric zones, a missing weekday or seconds); a date in
//     such a form is ignored, so the client gets 200 with the file, never
//     a wrong 304.
//   - A raw 0x85 or 0xA0 byte ending the path is part of the name. Python
//     strips it as Latin-1 whitespace before deciding whether the path
//     ends with a slash.
//   - A listing page that fails to render gets 500; Python cannot fail
//     there.
//   - On Windows, a path element holding a backslash or a colon is
//     dropped, as Python drops one holding a separator or a drive; a colon
//     would name an NTFS stream.
//
// These come from the features above, and apply without any option:
//
//   - Files carry ETag (a strong tag from the modification time in
//     nanoseconds, the size and the inode; nothing is hashed) and
//     Accept-Ranges: bytes. Python sends neither.
//   - If-None-Match is evaluated: a matching tag, or "*", gets 304 where
//     Python sends the file. If-Match and If-Unmodified-Since are
//     evaluated and can give 412; Python ignores them. As in Python, the
//     presence of If-None-Match, even empty, turns If-Modified-Since off.
//   - A 304 carries the ETag, which RFC 9110 section 15.4.5 requires
//     ("MUST generate ... ETag"), and Vary and the CORS fields when a 200
//     would have them. Python's 304 has Server and Date alone.
//     Last-Modified is still left out, as the section advises when there
//     is an ETag.
//   - Range gets 206 or 416, for HEAD too (HEAD gets GET's head, as in
//     net/http and nginx; RFC 9110 defines ranges for GET only, and asks
//     HEAD to send GET's fields). Python ignores Range and sends 200 with
//     the whole file. Listings ignore Range and all preconditions, as in
//     Python: they have no validators.
//   - Listings carry Vary: Accept. A client that prefers
//     application/json to text/html in Accept, or asks ?format=json, gets
//     the JSON listing; ?sort=, ?order= and ?dirs= get httpserve's page,
//     with sizes, times and sort links. Python sends its page whatever the
//     query and Accept say. Without those parameters, and without
//     --sort or --dirs-first, the page is Python's, byte for byte.
//
// And these with an option only:
//
//   - With HideDotfiles, any path with an element starting with "."
//     (after decoding: /%2Egit/config too) gets 404 "File not found",
//     before anything is opened; a symlink with an ordinary name that
//     leads to a dot-file is served (the name requested decides).
//   - With NoListing, a directory without an index file gets 403
//     "Directory listing is disabled"; the redirect that adds the slash
//     still comes first.
//   - With CORS, OPTIONS gets 204 (Python: 501), and responses carry
//     Access-Control-Allow-Origin: *, error pages included.
//   - With Compress, a compressed response has no Content-Length (it is
//     chunked, or delimited by closing under HTTP/1.0), and a request
//     with Range always gets the identity bytes. Precompressed siblings
//     are served only with Compress: without it, the sibling files are
//     just files, as in Python.
package simplehandler
