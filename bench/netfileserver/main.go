// Command netfileserver is the reference for bench/run.sh: net/http's
// FileServer on a directory, the baseline httpserve's static serving is
// measured against.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8001", "listen address")
	dir := flag.String("d", ".", "directory to serve")
	flag.Parse()
	log.Fatal(http.ListenAndServe(*addr, http.FileServer(http.Dir(*dir))))
}
