package main

import "runtime/debug"

// version is set at build time with
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/httpserve
//
// When it is empty, the module version recorded by the go tool is used
// (set by "go install …@v1.2.3"), as mkcert does, or else "devel".
var version string

// getVersion returns the version printed by --version and sent in the
// Server header.
func getVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
