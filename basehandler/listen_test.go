package basehandler_test

import (
	"net"
	"strings"
	"testing"

	"github.com/httpserve/httpserve/basehandler"
	"github.com/httpserve/httpserve/basehandler/basehandlertest"
)

// TestListenDualStack checks that Listen("[::]:0") takes IPv4 and IPv6
// clients alike, as Python's DualStackServer does, and logs each by its
// own address.
func TestListenDualStack(t *testing.T) {
	if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skipf("IPv6 loopback unavailable: %v", err)
	} else {
		ln.Close()
	}
	ln, err := basehandler.Listen("[::]:0")
	if err != nil {
		t.Fatal(err)
	}
	s := basehandlertest.Start(t, &basehandler.Server{Handler: basehandler.HandlerFunc(testHandler)}, ln)
	_, port, _ := net.SplitHostPort(s.Addr)
	tests := []struct {
		name, addr, logged string
	}{
		{"IPv4", net.JoinHostPort("127.0.0.1", port), "127.0.0.1 - - ["},
		{"IPv6", net.JoinHostPort("::1", port), "::1 - - ["},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Log.Reset()
			c := basehandlertest.Dial(t, tt.addr)
			c.Write(t, "GET /dual HTTP/1.0\r\n\r\n")
			if resp := c.ReadResponse(t, "GET"); resp.Status != 200 || !strings.HasPrefix(resp.Body, "GET /dual HTTP/1.0\n") {
				t.Errorf("got %v, want the echo", resp)
			}
			if log := s.Log.String(); !strings.HasPrefix(log, tt.logged) {
				t.Errorf("log %q, want it to start %q", log, tt.logged)
			}
		})
	}
}
