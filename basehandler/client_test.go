package basehandler_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/httpserve/httpserve/basehandler"
)

// TestNetHTTPClient talks to the server with net/http's client, an
// independent implementation of the protocol: requests with and without
// bodies, HEAD, chunked and sendfile responses, and connection reuse.
func TestNetHTTPClient(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	file := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(file, big, 0o644); err != nil {
		t.Fatal(err)
	}
	s := funcServer(t, &basehandler.Server{}, func(w *basehandler.Response, r *basehandler.Request) {
		path, query, _ := strings.Cut(r.Path, "?")
		if path != "/file" {
			testHandler(w, r)
			return
		}
		// io.Copy from an *os.File: with Content-Length, sendfile through
		// Response.ReadFrom; without, a chunked copy.
		f, err := os.Open(file)
		if err != nil {
			w.SendError(http.StatusNotFound, "")
			return
		}
		defer f.Close()
		w.SendResponse(http.StatusOK)
		if query != "chunked" {
			w.SendHeader("Content-Length", strconv.Itoa(len(big)))
		}
		w.EndHeaders()
		if n, err := io.Copy(w, f); err != nil || r.Method == http.MethodGet && n != int64(len(big)) {
			w.LogError("copy: %d, %v", n, err)
		}
	})
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)
	tests := []struct {
		name       string
		method     string
		path       string
		body       io.Reader
		wantStatus int
		wantBody   string // prefix
		wantLen    int    // of the body, when not -1
		wantTE     []string
	}{
		{"GET", "GET", "/a?b", nil, 200, "GET /a?b HTTP/1.1\npath=/a?b\nhost=" + s.Addr, -1, nil},
		{"POST with Content-Length", "POST", "/p", strings.NewReader("hello"), 200, "POST /p HTTP/1.1\n", -1, nil},
		{"POST chunked", "POST", "/p", io.MultiReader(strings.NewReader("hel"), strings.NewReader("lo")), 200, "POST /p HTTP/1.1\n", -1, nil},
		{"HEAD", "HEAD", "/h", nil, 200, "", 0, nil},
		{"streamed", "GET", "/stream", nil, 200, "hello, world\n", -1, []string{"chunked"}},
		{"sendfile", "GET", "/file", nil, 200, "0123456789abcdef", len(big), nil},
		{"file chunked", "GET", "/file?chunked", nil, 200, "0123456789abcdef", len(big), []string{"chunked"}},
		{"file HEAD", "HEAD", "/file", nil, 200, "", 0, nil},
		{"error", "GET", "/error?404", nil, 404, "<!DOCTYPE HTML>", -1, nil},
		{"unsupported method", "DELETE", "/", nil, 501, "<!DOCTYPE HTML>", -1, nil},
	}
	reused := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				GotConn: func(info httptrace.GotConnInfo) {
					if info.Reused {
						reused++
					}
				},
			})
			req, err := http.NewRequestWithContext(ctx, tt.method, "http://"+s.Addr+tt.path, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "POST chunked" {
				req.ContentLength = -1
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("reading body: %v", err)
			}
			if resp.StatusCode != tt.wantStatus || !strings.HasPrefix(string(body), tt.wantBody) {
				t.Errorf("got %d %.60q, want %d %.60q", resp.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
			if tt.wantLen >= 0 && len(body) != tt.wantLen {
				t.Errorf("got %d body bytes, want %d", len(body), tt.wantLen)
			}
			if strings.HasPrefix(tt.name, "POST") && !strings.Contains(string(body), `body="hello"`) {
				t.Errorf("the handler did not get the body:\n%s", body)
			}
			if tt.wantLen == len(big) && !bytes.Equal(body, big) {
				t.Error("file body differs")
			}
			if got := resp.TransferEncoding; strings.Join(got, ",") != strings.Join(tt.wantTE, ",") {
				t.Errorf("got Transfer-Encoding %q, want %q", got, tt.wantTE)
			}
		})
	}
	if reused == 0 {
		t.Error("the client never reused a connection")
	}
	if log := s.Log.String(); strings.Contains(log, "copy:") || strings.Contains(log, "Exception") {
		t.Errorf("log:\n%s", log)
	}
}
