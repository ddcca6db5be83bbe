// Package errors holds the status table and the error page of Python's
// http.server: it mirrors Python 3.11's http.HTTPStatus (the reason
// phrase and the long description of every code, see [Phrase] and
// [Explain]) and the HTML page that BaseHTTPRequestHandler.send_error
// sends (see [AppendPage] and [ContentType]).
//
// The name shadows the standard library's errors package in any file
// that imports it, so import it under another name:
//
//	import errpage "github.com/httpserve/httpserve/errors"
//
// basehandler is meant to be its only importer.
//
// # Python compatibility
//
// The table in status.go is generated from the http.HTTPStatus of
// Python 3.11 by gen_status.py; other Python versions name some codes
// differently (3.13 calls 413 "Content Too Large"), so the generator
// refuses to run under them. The page is byte-identical to the one
// Python 3.11 sends for the same code, message and explanation; the
// tests check this against python3.
//
// Python's strings cannot hold invalid UTF-8, Go's can. [AppendPage]
// replaces each invalid sequence with U+FFFD exactly as Python's
// bytes.decode('utf-8', 'replace') does, which is what Python shows when
// such bytes reach a message through urllib.parse.unquote.
package errors

//go:generate python3 gen_status.py
