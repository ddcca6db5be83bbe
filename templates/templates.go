// Package templates holds the HTML templates httpserve renders: the
// directory listing (listing.html) and the error page (error.html).
//
// They are embedded in the binary, so a single static file serves every
// page; each package that renders one parses it once, at init, from [FS].
package templates

import "embed"

// FS holds every *.html file of this directory.
//
//go:embed *.html
var FS embed.FS
