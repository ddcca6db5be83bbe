package basehandler_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/httpserve/httpserve/basehandler"
)

// A handler dispatches on the method as Python's do_GET and do_HEAD do;
// Response keeps the protocol: the HEAD body is dropped, the Date and
// Server fields are added, and the connection closes as HTTP/1.0 wants.
func ExampleServer() {
	srv := &basehandler.Server{
		Handler: basehandler.HandlerFunc(func(w *basehandler.Response, r *basehandler.Request) {
			switch r.Method {
			case http.MethodGet, http.MethodHead:
				body := "Hello from " + r.Path + "\n"
				w.SendResponse(http.StatusOK)
				w.SendHeader("Content-Type", "text/plain; charset=utf-8")
				w.SendHeader("Content-Length", strconv.Itoa(len(body)))
				w.EndHeaders()
				w.WriteString(body)
			default:
				w.SendError(http.StatusNotImplemented, "Unsupported method ('"+r.Method+"')")
			}
		}),
		Version: "example/1.0",
		Log:     io.Discard,
		Now:     func() time.Time { return time.Date(2026, time.November, 21, 16, 19, 40, 0, time.UTC) },
	}
	ln, err := basehandler.Listen("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error)
	go func() { served <- srv.Serve(ctx, ln) }()

	for _, request := range []string{"GET /hello HTTP/1.0\r\n\r\n", "DELETE /hello HTTP/1.0\r\n\r\n"} {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			fmt.Println(err)
			return
		}
		io.WriteString(c, request)
		response, _ := io.ReadAll(c)
		c.Close()
		head, body, _ := strings.Cut(string(response), "\r\n\r\n")
		firstLine, _, _ := strings.Cut(body, "\n")
		fmt.Printf("%s\n\n%s\n\n", strings.ReplaceAll(head, "\r\n", "\n"), firstLine)
	}
	stop()
	fmt.Println("Serve returned", <-served)
	// Output:
	// HTTP/1.0 200 OK
	// Server: example/1.0
	// Date: Sat, 21 Nov 2026 16:19:40 GMT
	// Content-Type: text/plain; charset=utf-8
	// Content-Length: 18
	//
	// Hello from /hello
	//
	// HTTP/1.0 501 Unsupported method ('DELETE')
	// Server: example/1.0
	// Date: Sat, 21 Nov 2026 16:19:40 GMT
	// Connection: close
	// Content-Type: text/html;charset=utf-8
	// Content-Length: 359
	//
	// <!DOCTYPE HTML>
	//
	// Serve returned <nil>
}
