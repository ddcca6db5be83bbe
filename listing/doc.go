// Package listing is the directory listing of httpserve: the model of a
// listed directory ([Entry], [Page]), the reading of one from an
// [os.Root] ([Read]), its order and filter ([Options], [SortBy],
// [Filter]), and three renderings of it: Python's page
// ([Page.AppendPythonHTML]), httpserve's page ([Page.AppendHTML]) and a
// JSON listing ([Page.AppendJSON]).
//
// It mirrors SimpleHTTPRequestHandler.list_directory of Python 3.11's
// http.server, and goes beyond it. A handler lists a directory in a few
// steps:
//
//	entries, err := listing.Read(root, dir)
//	if err != nil { ... } // Python answers 404 "No permission to list directory"
//	opts := listing.ParseOptions(query, defaults) // ?sort=size&order=desc, over --sort
//	entries = listing.Filter(entries, opts)       // --hide-dotfiles
//	listing.SortBy(entries, opts)
//	page := listing.Page{Path: target, Entries: entries, Options: opts, Parent: dir != "."}
//	if listing.WantsJSON(query, accept) {
//		body, err = page.AppendJSON(buf[:0]) // Content-Type: JSONContentType
//	} else {
//		body, err = page.AppendHTML(buf[:0]) // Content-Type: ContentType
//	}
//
// For Python's page, [Sort] and [Page.AppendPythonHTML] replace SortBy
// and AppendHTML.
//
// # Large directories
//
// [Read] asks the file system for 1024 names at a time and stats each
// entry once (the fstatat that os.Root's ReadDir makes anyway), plus
// once more for a symlink, to learn what it leads to; no file is opened
// and no [fs.FileInfo] outlives its batch. An [Entry] keeps the name,
// two flags, the size and the time: about 56 bytes and the name. Sorting
// and rendering cost a fixed number of allocations, none per entry
// (TestAllocsPerEntry): [SortBy] lowers all the names into one buffer,
// and the pages and the JSON are appended entry by entry rather than
// through html/template (see page.go).
//
// # Python's page
//
// For a directory whose names are valid UTF-8, [Page.AppendPythonHTML]
// writes byte for byte the page Python writes: the lines
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
// # httpserve's page
//
// [Page.AppendHTML] keeps the structure and the links of Python's page,
// so that a tool scraping one scrapes the other: the same DOCTYPE,
// <html lang="en">, <meta charset="utf-8">, title and <h1>, <hr>, <ul>,
// and every entry still a line starting <li><a href="HREF">DISPLAY</a>,
// with Python's HREF and DISPLAY. The title and <h1> are "Directory
// listing for PATH" with PATH the path alone, without the query (which
// the sort links would otherwise fill), percent-decoded as UTF-8: a byte
// the client did not percent-encode counts as that byte, not as a
// Latin-1 character, and ill-formed sequences become U+FFFD. What the
// page adds:
//
//   - in <head>, a viewport <meta> and an inline <style> with
//     color-scheme: light dark and a prefers-color-scheme: dark palette;
//     the page loads nothing else and runs no script;
//   - between <hr> and <ul>, a <nav> of three sort links (Name, Size,
//     Modified (UTC)) whose hrefs are queries such as
//     "?sort=size&order=desc&dirs=mixed": the current key has
//     class="asc" or class="desc" and its link reverses the order; the
//     others sort names ascending, sizes and times descending;
//   - when Parent is set, a first line <li class="parent"><a
//     href="../">../</a></li>, which the class lets a scraper skip;
//   - after each link, inside the <li>, the size and the time (below);
//   - after the last <hr>, a <footer> with a link that toggles
//     directories first and a link to the same listing as JSON.
//
// An entry's line holds its size and modification time after the link,
// each with its exact value in an attribute:
//
//	<li><a href="a.txt">a.txt</a> <data value="1234">1.2 KiB</data> <time datetime="2026-11-21T16:19:40Z">2026-11-21 16:19</time></li>
//
// A directory (or a symlink to one) has no <data>: its size means
// nothing. An entry whose time is unknown (it vanished while being read)
// has no <time>. Sizes are in binary units with two or three significant
// digits; times are in UTC, as the column says.
//
// # JSON schema
//
// [Page.AppendJSON] writes one object, with one entry a line:
//
//	{"path":"/dir/","entries":[
//	{"name":"a.txt","type":"file","symlink":false,"size":1234,"mtime":"2026-11-21T16:19:40Z","href":"a.txt"},
//	{"name":"sub","type":"dir","symlink":false,"size":null,"mtime":"2026-11-21T16:19:40Z","href":"sub/"},
//	{"name":"latest","type":"dir","symlink":true,"size":null,"mtime":"2026-11-20T08:00:00Z","href":"latest/"}
//	]}
//
// The object has two members:
//
//   - path (string): the path of the listed directory, without the
//     query, percent-decoded as on httpserve's page.
//   - entries (array, never null): one object per entry, in the order of
//     Page.Entries, the order of the page.
//
// Every entry has the same six members:
//
//   - name (string): the file name. JSON strings are Unicode, so a name
//     that is not valid UTF-8 has each ill-formed sequence replaced by
//     U+FFFD, as on the page; href keeps its exact bytes.
//   - type (string): "dir" for a directory, or a symlink that leads to a
//     directory inside the served tree; "file" for everything else, which
//     the server answers with the contents (regular files, and symlinks
//     it does not follow). Clients should treat any other value as
//     "file": later versions may add types.
//   - symlink (boolean): whether the entry is a symbolic link; type then
//     says what it leads to.
//   - size (number or null): the size in bytes (of the target, for a
//     symlink that resolves); null for a type "dir".
//   - mtime (string or null): the modification time in UTC as RFC 3339
//     to the second ("2026-11-21T16:19:40Z"); null when unknown.
//   - href (string): the link to the entry, relative to the listing,
//     exactly as on the HTML pages: every byte of the name but ASCII
//     letters, digits and _.-~ percent-encoded (upper-case hex), and "/"
//     after a directory. Percent-decoding it gives the name's raw bytes.
//
// Strings are escaped as encoding/json escapes them: besides what JSON
// requires, <, > and & become \u003c, \u003e and \u0026, and U+2028
// and U+2029 \u2028 and \u2029. Members come in the order above.
// The schema is stable: members may be added, and none will be removed
// or change meaning.
//
// # Sorting
//
// [ParseOptions] reads sort=name|size|time, order=asc|desc and
// dirs=first|mixed from the query, over the server's defaults. "name" is
// Python's order ([Sort]); "size" counts a directory as smaller than
// any file; ties of size or time go by name, ascending. With DirsFirst,
// directories come first in either order. The order is total and the
// same on every request.
//
// # Escaping
//
// HREF is urllib.parse.quote(link): every byte but ASCII letters, digits
// and _.-~/ becomes %XX with upper-case hex digits. DISPLAY and PATH are
// html.escape(s, quote=False): only &, < and > are escaped, so quotes and
// + appear as they are. html/template escapes more than that, so the
// package escapes every value itself and appends the entries directly;
// the frame of each page comes from templates/listing.html, and the
// values it shows are handed to it as template.HTML, which html/template
// passes through.
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
