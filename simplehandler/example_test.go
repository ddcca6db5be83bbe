package simplehandler_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/simplehandler"
)

// ExampleHandler serves a directory, as python3 -m http.server does, and
// fetches a file and a directory from it.
func ExampleHandler() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("Hello, world!\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "docs"), 0o755)

	h, err := simplehandler.New(dir, false)
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	ln, err := basehandler.Listen("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &basehandler.Server{Handler: h, Log: io.Discard}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + "/hello.txt")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	fmt.Print(string(body))

	// A directory without its trailing slash is redirected.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.Get(base + "/docs?page=2")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Location"))

	// Output:
	// 200 OK text/plain; charset=utf-8
	// Hello, world!
	// 301 Moved Permanently /docs/?page=2
}
