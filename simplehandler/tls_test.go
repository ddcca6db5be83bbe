package simplehandler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"testing"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

// TestOverTLS serves ranges and compressed bodies over TLS, where the
// body cannot go by sendfile(2) and [basehandler.Response.ReadFrom]
// copies through a buffer instead: the same bytes must arrive.
func TestOverTLS(t *testing.T) {
	files := compressFixture()
	data := make([]byte, rangeSize)
	mrand.NewChaCha8([32]byte{3}).Read(data)
	data = asText(data)
	files["data.txt"] = fileSpec{string(data), condMtime}
	dir, _, _ := serveFiles(t, files, nil)
	h := newHandler(t, dir, false)
	h.Compress = true

	cert := basehandlertest.SelfSigned(t)
	ln, err := basehandler.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &basehandler.Server{Handler: h, Protocol: "HTTP/1.1", Log: io.Discard}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}}))
	}()
	t.Cleanup(func() { cancel(); <-done })

	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(client.CloseIdleConnections)
	fetch := func(target string, header ...[2]string) *response {
		t.Helper()
		req, _ := http.NewRequest("GET", "https://"+ln.Addr().String()+target, nil)
		for _, h := range header {
			req.Header.Add(h[0], h[1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return &response{status: resp.StatusCode, header: resp.Header, body: body}
	}
	for _, tc := range rangeCases {
		t.Run(tc.name, func(t *testing.T) {
			checkRangeResponse(t, fetch("/data.txt", [2]string{"Range", tc.value}), http.MethodGet, data, tc.wantStatus, tc.want)
		})
	}
	for _, c := range []string{"gzip", "zstd"} {
		resp := fetch("/app.js", [2]string{"Accept-Encoding", c})
		if got := resp.header.Get("Content-Encoding"); got != c {
			t.Fatalf("Content-Encoding: got %q, want %s", got, c)
		}
		if body := decode(t, c, resp.body); string(body) != files["app.js"].content {
			t.Errorf("%s: decoded %d bytes, want %d", c, len(body), len(files["app.js"].content))
		}
	}
}
