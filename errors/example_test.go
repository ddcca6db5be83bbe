package errors_test

import (
	"fmt"

	errpage "github.com/httpserve/httpserve/errors"
)

// The caller defaults the message and the explanation the way Python's
// send_error does, then renders the page.
func ExampleAppendPage() {
	code := 599
	message, explain := errpage.Phrase(code), errpage.Explain(code)
	if message == "" { // a code Python does not know
		message, explain = "???", "???"
	}
	page := errpage.AppendPage(nil, code, message, explain)
	fmt.Printf("Content-Type: %s\n\n%s", errpage.ContentType, page)
	// Output:
	// Content-Type: text/html;charset=utf-8
	//
	// <!DOCTYPE HTML>
	// <html lang="en">
	//     <head>
	//         <meta charset="utf-8">
	//         <title>Error response</title>
	//     </head>
	//     <body>
	//         <h1>Error response</h1>
	//         <p>Error code: 599</p>
	//         <p>Message: ???.</p>
	//         <p>Error code explanation: 599 - ???.</p>
	//     </body>
	// </html>
}
