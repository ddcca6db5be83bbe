package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpserve/httpserve/basehandler"
)

// serve opens the listener, prints Python's banner and serves until ctx
// ends. Then it calls stop, which gives SIGINT and SIGTERM back their
// default action, so that a second Ctrl-C kills the process at once
// instead of waiting for a slow graceful shutdown (litestream cuts its
// shutdown short on a second signal too).
func serve(ctx context.Context, stop context.CancelFunc, cli *CLI, u *ui) int {
	version := "httpserve/" + getVersion()
	h, err := newHandler(cli, version)
	if err != nil {
		u.errorf("%w", err)
		return exitUsage
	}
	// Read the certificate before opening the port, so that a wrong
	// password leaves nothing half started.
	var tlsConfig *tls.Config
	if cli.TLSCert != "" {
		cert, err := loadCertificate(cli.TLSCert, cli.TLSKey, cli.TLSPasswordFile)
		if err != nil {
			u.errorf("%w", err)
			return exitUsage
		}
		if time.Now().After(cert.Leaf.NotAfter) {
			u.warningf("the certificate in --tls-cert %q expired on %s", cli.TLSCert, cert.Leaf.NotAfter.UTC().Format(time.DateOnly))
		}
		tlsConfig = newTLSConfig(cert)
	}
	ln, host, err := listen(ctx, cli.Bind, cli.Port)
	if err != nil {
		u.errorf("%w", err)
		return exitUsage
	}
	var selfSignedFP string
	if cli.TLSSelfSigned {
		// Made once the address is known, so that it can name it.
		cert, err := selfSigned(cli.Bind, host, time.Now())
		if err != nil {
			ln.Close()
			u.errorf("making a self-signed certificate: %w", err)
			return exitUsage
		}
		selfSignedFP = fingerprint(cert.Certificate[0])
		tlsConfig = newTLSConfig(cert)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	srv := &basehandler.Server{
		Handler:      h,
		Protocol:     cli.Protocol,
		Version:      version,
		Log:          u.stderr,
		ExtraHeaders: cli.extraHeaders(),
	}
	printBanner(u.stdout, tlsConfig != nil, host, port)
	if selfSignedFP != "" {
		fmt.Fprintf(u.stdout, "Certificate SHA-256 fingerprint: %s\n", selfSignedFP)
	}

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	var (
		serveErr error
		served   bool
	)
	select {
	case serveErr = <-done:
		served = true
	case <-ctx.Done():
	}
	if ctx.Err() == nil {
		// Serve returns before ctx ends only when accepting failed.
		u.errorf("accepting connections: %w", serveErr)
		return exitFailure
	}
	stop()
	// Python prints this when serve_forever is interrupted; httpserve
	// prints it for SIGTERM too, before the graceful shutdown.
	fmt.Fprint(u.stdout, "\nKeyboard interrupt received, exiting.\n")
	if !served {
		serveErr = <-done
	}
	if serveErr != nil {
		u.errorf("shutting down: %w", serveErr)
		return exitFailure
	}
	return exitOK
}

// printBanner prints Python's startup line, with IPv6 hosts bracketed in
// the URL, and HTTPS instead of HTTP when serving TLS (Python 3.14):
//
//	Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...
//	Serving HTTP on :: port 8000 (http://[::]:8000/) ...
//	Serving HTTPS on 0.0.0.0 port 8443 (https://0.0.0.0:8443/) ...
func printBanner(w io.Writer, https bool, host string, port int) {
	urlHost := host
	if strings.Contains(host, ":") {
		urlHost = "[" + host + "]"
	}
	scheme := "HTTP"
	if https {
		scheme = "HTTPS"
	}
	fmt.Fprintf(w, "Serving %s on %s port %d (%s://%s:%d/) ...\n", scheme, host, port, strings.ToLower(scheme), urlHost, port)
}

// listen opens the listening socket and returns the host to show in the
// banner. Python resolves -b with getaddrinfo and binds the first address
// it gets; without -b it binds 0.0.0.0 and says so. httpserve says so
// too, but listens on every interface, IPv6 included.
func listen(ctx context.Context, bind string, port int) (ln net.Listener, host string, err error) {
	host, listenHost := "0.0.0.0", ""
	if bind != "" {
		ip, err := resolveBind(ctx, bind)
		if err != nil {
			return nil, "", err
		}
		host, listenHost = ip.String(), ip.String()
	}
	ln, err = basehandler.Listen(net.JoinHostPort(listenHost, strconv.Itoa(port)))
	if err != nil {
		return nil, "", listenError(err, bind, port)
	}
	return ln, host, nil
}

// resolveBind turns -b into one address: an IP address as it is (an IPv6
// zone such as fe80::1%eth0 included), or the first address a host name
// resolves to, as Python's getaddrinfo does.
func resolveBind(ctx context.Context, bind string) (netip.Addr, error) {
	if ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(bind, "["), "]")); err == nil {
		return ip, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", bind)
	if err != nil || len(addrs) == 0 {
		return netip.Addr{}, withHint(fmt.Errorf("invalid bind address %q: no such host", bind),
			"--bind takes an IP address such as 127.0.0.1 or ::1, or a host name of this machine")
	}
	return addrs[0].Unmap(), nil
}

// listenError explains why the socket could not be opened, naming the
// port and the bind address.
func listenError(err error, bind string, port int) error {
	where := ""
	if bind != "" {
		where = " on " + bind
	}
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return withHint(fmt.Errorf("port %d is already in use%s", port, where),
			"stop the other server, or choose another port (0 picks a free one)")
	case errors.Is(err, syscall.EACCES) && port < 1024:
		return withHint(fmt.Errorf("permission denied to use port %d%s", port, where),
			"ports below 1024 need root privileges; choose a higher port such as 8000")
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return withHint(fmt.Errorf("invalid bind address %q: not an address of this machine", bind),
			"--bind takes the address of one of this machine's interfaces, such as 127.0.0.1")
	}
	return fmt.Errorf("cannot listen on port %d%s: %w", port, where, err)
}
