// Package cgihandler serves a directory and runs the CGI scripts in it:
// Python's CGIHTTPRequestHandler (http.server --cgi), which Python 3.13
// deprecated and 3.15 removes, written as a Go type and brought up to
// CGI/1.1 as RFC 3875 specifies it.
//
// A [Handler] holds configuration only. Its Files field, a
// [simplehandler.Handler], serves every request that is not for a script;
// the CGI handler delegates to it through the field, not by embedding, so
// that nothing of the simple handler can answer a script's request by
// accident.
//
// # Finding the script
//
// As in Python's is_cgi and run_cgi (handler.go, path.go): the request
// path is percent-decoded and collapsed; when it starts with a CGI directory
// (Dirs: "/cgi-bin" and "/htbin" by default) followed by "/", the rest
// is walked while its leading elements are directories, the next element
// names the script, and what follows is PATH_INFO. The query string is
// kept as sent. Any method runs a script; POST to anything else is 501
// "Can only POST to CGI scripts".
//
// # Running it
//
// The script is executed directly, never through a shell (script.go,
// process.go), in its own directory (RFC 3875 section 7.2) and process
// group, as "nobody"
// when the server runs as root (User). Its environment (env.go) is the
// server's own or a clean one (CleanEnv), plus Env, plus the
// meta-variables of RFC 3875 section 4.1, REQUEST_URI, SCRIPT_FILENAME,
// REMOTE_PORT, DOCUMENT_ROOT, REDIRECT_STATUS, HTTPS under TLS, and an
// HTTP_* variable per request header field. The request body is streamed
// to its stdin: exactly Content-Length bytes, or a chunked body de-chunked
// into a temporary file first, so that CONTENT_LENGTH can state its length
// (section 4.2); a chunked body longer than MaxChunkedBody (1 GiB by
// default) gets 413 and runs no script. Its stderr goes to the server log, line by line, prefixed
// with the script's name.
//
// The output (response.go) is parsed as section 6 says: Status, Location
// (a client redirect, or for a local path an internal one), other fields
// passed through. It is streamed to the client as the script writes it,
// framed by the script's Content-Length or else by the server: chunked for
// an HTTP/1.1 client on a kept connection, by closing it otherwise. A
// script named nph-* writes the whole response itself (section 5).
//
// A script ends with its request: a client that goes away, a response
// that cannot be written, or a run longer than Timeout sends SIGTERM to
// its process group and, two seconds later, SIGKILL. At most MaxScripts
// run at once; further requests wait up to QueueTimeout, then get 503.
// Every script is reaped and every descriptor closed before its request's
// handler returns.
//
// # Python compatibility
//
// Scripts written for Python's --cgi run unchanged. These differences are
// deliberate, for RFC 3875 or for safety:
//
//   - The script's header block is parsed (Python copies the output after
//     its own "200 Script output follows" status line): Status sets the
//     status, an absolute Location without Status gives 302, a local one
//     without body is served internally, and Server, Date and hop-by-hop
//     fields from the script are dropped. A script that sets no status
//     still gets Python's "200 Script output follows".
//   - A script that ends or crashes before its header block is complete,
//     or writes a malformed one, gets 502 (Python's client receives
//     whatever came); one that times out first, 504.
//   - A ".." element (raw or percent-encoded) is resolved as Python's
//     _url_collapse_path resolves it; one that climbs above the root gets
//     404, where Python raises IndexError and sends nothing.
//   - Scripts run in their own directory (RFC 3875 section 7.2), nph-*
//     scripts too; Python leaves them in the server's.
//   - A "#" in a script's name, raw or as %23, is part of the name: a
//     404 unless a file has that name. Python cuts the name there.
//     Nothing in a CGI directory is ever sent as a file: a path that
//     leaves the CGI directory only after a raw "#"
//     ("/cgi-bin/x.sh#/../../y"), which the file server cuts at the "#",
//     gets 404, never the script's source.
//   - A literal "?" decoded from "%3F" stays in the script name or
//     PATH_INFO; Python splits the query at it a second time.
//   - A script is never executed from outside the document root, even
//     through a symlink; the execute permission is checked for the user
//     the script runs as (Python checks for the server's user).
//   - As root, the script gets the user's group and supplementary groups;
//     Python calls only setuid, so its scripts keep root's group. A user
//     called "nobody" must exist (Python then takes an unused uid).
//   - Methods other than GET, HEAD and POST run scripts too; Python
//     answers 501.
//   - An argument that would start with "-" is not passed (php-cgi's
//     CVE-2012-1823); otherwise the command line is Python's.
//   - Environment: inherited HTTP_* and meta-variable names are removed
//     from the server's environment; every request header becomes HTTP_*
//     (Python passes Accept, Cookie, Referer and User-Agent only), joined
//     with ", " ("; " for Cookie), except Proxy (httpoxy), Authorization,
//     Proxy-Authorization, Content-Length, Content-Type, Transfer-Encoding
//     and names holding "_". AUTH_TYPE and REMOTE_USER are never set (Python
//     takes them from the unverified Authorization header). CONTENT_LENGTH
//     and CONTENT_TYPE are unset when the request has no body or type
//     (Python: "" and "text/plain"); PATH_INFO is "" when there is none,
//     as in Python, but PATH_TRANSLATED is then unset; PATH_INFO is decoded once (Python decodes twice);
//     REMOTE_HOST is the client's address (Python: ""); SERVER_NAME comes
//     from Host and SERVER_PORT from the local address; SERVER_PROTOCOL is
//     the request's protocol (Python: the server's protocol_version).
//   - Request bodies of any method are passed, chunked ones included, and
//     only the body: Python reads and drops whatever else the client has
//     sent. A chunked body is bounded (MaxChunkedBody, 413 beyond it),
//     since it is stored on disk before the script runs; Python does not
//     read chunked bodies at all.
//   - A script is killed when its client goes away or its Timeout passes,
//     and the number running at once is bounded; Python waits for every
//     script, however long.
//   - HEAD responses carry no body; Python sends what the script writes.
//   - The server's inherited descriptors are marked close-on-exec, so
//     scripts get stdin, stdout and stderr only.
//
// # Limits
//
// A chunked request body is spooled to a temporary file (in $TMPDIR,
// mode 0600, unlinked at once) before a script slot is taken, so that a
// slow upload holds no slot; each may reach MaxChunkedBody, and as many
// may be spooled at once as there are connections. A body with
// Content-Length is streamed to the script as it reads, so a slow upload
// holds its slot until the script ends or Timeout passes.
// A script that leaves its process group (setsid) escapes the kill. A
// process a script leaves behind holding its stdout keeps the response
// open until it exits or Timeout passes, as in Apache. A script stopped
// half-way (timeout or disconnect) ends its response without a last chunk
// and closes the connection, so the client sees a truncated body as
// truncated. The checks that keep
// scripts inside the document root are made before the script is
// started; someone who can rename directories in the root while it runs
// could race them.
package cgihandler
