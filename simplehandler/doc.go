// Package simplehandler serves the files of a directory: Python's
// SimpleHTTPRequestHandler (http.server, Python 3.11), as a
// [basehandler.Handler].
//
// [Handler.ServeRequest] dispatches GET to [Handler.DoGET] and HEAD to
// [Handler.DoHEAD], and answers anything else with 501 "Unsupported method
// ('POST')". Both run Python's send_head:
//
//   - The request path becomes a file name with [Handler.TranslatePath]
//     (path.go): the query and fragment are dropped, %XX is decoded, and
//     the path is normalised so that nothing outside the directory can be
//     named. Files are opened through an [os.Root] as well.
//   - A directory named without a trailing slash is redirected, with 301
//     and the slash added to the path (the query kept). One named with it
//     is answered with its index.html, else its index.htm, else a listing
//     from package listing.
//   - A file is answered with 200, Content-type (mime.go), Content-Length
//     and Last-Modified, and DoGET sends its bytes with sendfile(2). A file
//     named with a trailing slash, a missing file and one that cannot be
//     opened get 404 "File not found"; a directory that cannot be listed
//     gets 404 "No permission to list directory".
//   - If-Modified-Since, when If-None-Match is absent, is answered with 304
//     when the file is not newer than the date, to the second.
//
// Header names, their order and the status lines are Python's, down to
// "Content-type" with a lower-case t.
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
package simplehandler
