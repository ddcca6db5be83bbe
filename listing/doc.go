// Package listing is the directory listing of httpserve: the model of a
// listed directory ([Entry], [Page]), the reading of one from an
// [os.Root] ([Read]), Python's order ([Sort]) and the HTML page
// ([Page.AppendHTML]), rendered from templates/listing.html.
//
// It mirrors SimpleHTTPRequestHandler.list_directory of Python 3.11's
// http.server. A handler lists a directory in three steps:
//
//	entries, err := listing.Read(root, dir)
//	if err != nil { ... } // Python answers 404 "No permission to list directory"
//	listing.Sort(entries)
//	page := listing.Page{Path: target, Entries: entries}
//	body, err := page.AppendHTML(buf[:0])
//
// and sends body with Content-Type [ContentType].
//
// # The page
//
// For a directory whose names are valid UTF-8 the page is byte for byte
// the one Python writes: the lines
//
//	<!DOCTYPE HTML>
//	<html lang="en">
//	<head>
//	<meta charset="utf-8">
//	<title>Directory listing for PATH</title>
//	</head>
//	<body>
//	<h1>Directory listing for PATH</h1>
//	<hr>
//	<ul>
//	<li><a href="HREF">DISPLAY</a></li>
//	</ul>
//	<hr>
//	</body>
//	</html>
//
// with one <li> line per entry, joined by "\n" and ending in "\n".
//
// PATH is the request target as the client sent it, query string
// included, percent-decoded as UTF-8 and HTML-escaped:
// html.escape(urllib.parse.unquote(self.path, errors='surrogatepass'),
// quote=False). Like Python, which reads the request line as ISO-8859-1,
// a byte above 0x7F that the client did not percent-encode shows as the
// Latin-1 character, and ill-formed UTF-8 anywhere in the decoded path
// makes the whole path decode again with errors='replace'.
//
// The entries are sorted by Python's name.lower(). A directory, or a
// symlink that leads to one, gets "/" after both its display name and its
// link; a symlink gets "@" after its display name, so a link to a
// directory shows "name@" and links to "name/".
//
// # Escaping
//
// HREF is urllib.parse.quote(link): every byte but ASCII letters, digits
// and _.-~/ becomes %XX with upper-case hex digits. DISPLAY and PATH are
// html.escape(s, quote=False): only &, < and > are escaped, so quotes and
// + appear as they are. html/template escapes more than that, so the
// package escapes every value itself and hands it to the template as
// template.HTML or template.URL, which html/template passes through.
//
// # Python compatibility
//
// The differences from Python 3.11 are deliberate:
//
//   - A name that is not valid UTF-8 (on Linux a name is any bytes) links
//     to its raw bytes percent-encoded: "\xff.txt" links to "%FF.txt",
//     which httpserve decodes back to the same bytes and so can open.
//     Python links to "%ED%B3%BF.txt", the UTF-8 encoding of its
//     surrogate escape U+DCFF, which names no file.
//   - Such a name shows each ill-formed sequence as U+FFFD (one per
//     maximal subpart, as a browser decodes it), so the page is valid
//     UTF-8. Python writes the raw bytes into a page it declares UTF-8.
//   - A percent-encoded surrogate in the request path (%ED%B3%BF) shows
//     as U+FFFD. Python writes a raw byte for U+DC80 to U+DCFF and fails
//     with UnicodeEncodeError, sending no page, for the other surrogates.
//   - Names equal ignoring case (README and readme) are ordered by their
//     bytes; Python keeps the order os.listdir returned them in, which
//     depends on the file system. Names that are not valid UTF-8 are
//     lowered as by strings.ToLower, each invalid byte counting as
//     U+FFFD, where Python compares surrogate escapes. Lowering follows
//     Python otherwise, including İ and the final sigma; only the code
//     points that Unicode 15 (Go's tables) assigns and Unicode 14 (Python
//     3.11's) does not may count differently next to a final sigma.
//   - A symlink that leads outside the served directory, or whose target
//     is an absolute path, is listed as a symlink to a file ("name@",
//     linking to "name") even when it leads to a directory: [os.Root]
//     does not follow it, while Python's os.path.isdir does.
//   - The charset is always utf-8; Python uses
//     sys.getfilesystemencoding(), which is utf-8 on any usual system.
package listing
