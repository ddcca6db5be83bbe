package cgihandler

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/httpserve/httpserve/basehandler"
)

// What a script is given about its request (RFC 3875 section 4): the
// meta-variables in its environment and, for an ISINDEX-style query, its
// command line.

// metaVariables are the names this handler sets (or deliberately leaves
// unset) for each request: RFC 3875 section 4.1 and the extensions that
// Apache made customary. An inherited variable of one of these names, or
// one starting with HTTP_, is dropped from the server's environment, so
// that a stale value can never pass for a fact about the request.
var metaVariables = map[string]bool{
	"AUTH_TYPE": true, "CONTENT_LENGTH": true, "CONTENT_TYPE": true,
	"GATEWAY_INTERFACE": true, "PATH_INFO": true, "PATH_TRANSLATED": true,
	"QUERY_STRING": true, "REMOTE_ADDR": true, "REMOTE_HOST": true,
	"REMOTE_IDENT": true, "REMOTE_USER": true, "REQUEST_METHOD": true,
	"SCRIPT_NAME": true, "SERVER_NAME": true, "SERVER_PORT": true,
	"SERVER_PROTOCOL": true, "SERVER_SOFTWARE": true,
	"REQUEST_URI": true, "SCRIPT_FILENAME": true, "REMOTE_PORT": true,
	"DOCUMENT_ROOT": true, "REDIRECT_STATUS": true, "HTTPS": true,
}

// defaultPath is PATH for a script when the server has none.
const defaultPath = "/usr/local/bin:/usr/bin:/bin"

// baseEnv is the environment every script starts from: the server's own
// (environ) without HTTP_* and meta-variable names, or, when clean, only
// PATH, LANG, LC_* and TZ from it; then PATH if it is missing. The Env
// entries (extra) are checked and returned as NAME=VALUE in added, to be
// applied after the meta-variables.
func baseEnv(environ []string, clean bool, extra []string) (base, added []string, err error) {
	for _, kv := range environ {
		name, _, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			continue
		}
		if clean {
			if name == "PATH" || name == "LANG" || name == "TZ" || strings.HasPrefix(name, "LC_") {
				base = append(base, kv)
			}
			continue
		}
		if !strings.HasPrefix(name, "HTTP_") && !metaVariables[name] {
			base = append(base, kv)
		}
	}
	if !slices.ContainsFunc(base, func(kv string) bool { return strings.HasPrefix(kv, "PATH=") }) {
		base = append(base, "PATH="+defaultPath)
	}
	for _, e := range extra {
		name, value, hasValue := strings.Cut(e, "=")
		if name == "" || strings.ContainsRune(e, 0) {
			return nil, nil, fmt.Errorf("cgihandler: bad environment entry %q: want NAME or NAME=VALUE", e)
		}
		if !hasValue {
			var found bool
			for _, kv := range environ {
				if v, ok := strings.CutPrefix(kv, name+"="); ok {
					value, found = v, true
				}
			}
			if !found {
				continue // the server has no such variable: nothing to pass
			}
		}
		added = append(added, name+"="+value)
	}
	return base, added, nil
}

// requestEnv returns the script's environment: the base environment, the
// meta-variables of RFC 3875 section 4.1 with the customary extensions,
// a variable for each request header field, and the Env entries, later
// entries replacing earlier ones of the same name. contentLength is
// CONTENT_LENGTH, "" when the request has no body.
func (c *config) requestEnv(r *basehandler.Request, s *script, contentLength string) []string {
	env := make(map[string]string, len(c.env)+len(r.Header)+24)
	for _, kv := range c.env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	// AUTH_TYPE and REMOTE_USER (section 4.1.1, 4.1.11) are set only when
	// the server itself has authenticated the user; httpserve never does,
	// and an Authorization header the server has not checked proves
	// nothing.
	if contentLength != "" {
		env["CONTENT_LENGTH"] = contentLength // 4.1.2: iff there is a body
	}
	if ct, ok := r.Header["Content-Type"]; ok && len(ct) > 0 {
		env["CONTENT_TYPE"] = ct[0] // 4.1.3: no default
	}
	env["GATEWAY_INTERFACE"] = "CGI/1.1"
	// 4.1.5: decoded; "" when there is none, as Python and net/http/cgi
	// set it, so that scripts reading it unconditionally keep working.
	env["PATH_INFO"] = s.pathInfo
	if s.pathInfo != "" {
		env["PATH_TRANSLATED"] = c.root + s.pathInfo // 4.1.6: unset with PATH_INFO
	}
	env["QUERY_STRING"] = s.query // 4.1.7: as sent, "" when none
	remoteIP, remotePort := hostPort(r.RemoteAddr)
	env["REMOTE_ADDR"] = remoteIP
	env["REMOTE_HOST"] = remoteIP // 4.1.9: the address when the name is not looked up
	env["REMOTE_PORT"] = remotePort
	env["REQUEST_METHOD"] = r.Method
	env["SCRIPT_NAME"] = s.name
	env["SERVER_NAME"] = serverName(r)
	_, env["SERVER_PORT"] = hostPort(r.LocalAddr)
	env["SERVER_PROTOCOL"] = r.Proto // 4.1.16: the request's protocol
	env["SERVER_SOFTWARE"] = c.software
	env["REQUEST_URI"] = r.Path
	env["SCRIPT_FILENAME"] = s.file
	env["DOCUMENT_ROOT"] = c.root
	env["REDIRECT_STATUS"] = "200" // php-cgi runs only with it (force-cgi-redirect)
	if r.TLS != nil {
		env["HTTPS"] = "on"
	}
	for name, values := range r.Header {
		if key, ok := headerVariable(name); ok {
			sep := ", "
			if key == "HTTP_COOKIE" {
				sep = "; " // RFC 6265 section 5.4: one Cookie field, "; "-separated
			}
			env[key] = strings.Join(values, sep)
		}
	}
	for _, kv := range c.extraEnv {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	list := make([]string, 0, len(env))
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	slices.Sort(list)
	return list
}

// headerVariable maps a header field name to its protocol-specific
// meta-variable (RFC 3875 section 4.1.18): "HTTP_" and the name in upper
// case with "-" replaced by "_". It reports false for fields a script
// must not see that way:
//
//   - Proxy, which would become HTTP_PROXY, the proxy setting of many
//     HTTP libraries ("httpoxy", CVE-2016-5385);
//   - Authorization and Proxy-Authorization, credentials the server has
//     not checked (section 4.1.18 says to leave them out);
//   - Content-Length and Content-Type, which are CONTENT_LENGTH and
//     CONTENT_TYPE, and Transfer-Encoding, which describes a framing the
//     script never sees;
//   - any name with "_", which would be indistinguishable from the one
//     with "-" (a client could send "Content_Length" to shadow a
//     variable a front end sets).
func headerVariable(name string) (string, bool) {
	if strings.IndexByte(name, '_') >= 0 {
		return "", false
	}
	switch strings.ToLower(name) {
	case "proxy", "authorization", "proxy-authorization", "content-length", "content-type", "transfer-encoding":
		return "", false
	}
	b := make([]byte, 0, len("HTTP_")+len(name))
	b = append(b, "HTTP_"...)
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case c == '-':
			c = '_'
		}
		b = append(b, c)
	}
	return string(b), true
}

// hostPort splits a "host:port" address, without the brackets of an IPv6
// host.
func hostPort(addr string) (host, port string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, ""
	}
	return host, port
}

// serverName is SERVER_NAME (RFC 3875 section 4.1.14): the host the
// client asked for, as the Host field names it, without its port; an
// IPv6 literal keeps its brackets. A request without Host (HTTP/1.0) gets
// the address it arrived on.
func serverName(r *basehandler.Request) string {
	host := r.Host
	if host == "" {
		ip, _ := hostPort(r.LocalAddr)
		if strings.IndexByte(ip, ':') >= 0 {
			return "[" + ip + "]"
		}
		return ip
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		if _, err := strconv.Atoi(host[i+1:]); err == nil || i == len(host)-1 {
			host = host[:i]
		}
	}
	return host
}

// commandLine is the script's argv, built as Python's run_cgi builds it
// (RFC 3875 section 4.4 describes the idea): argv[0] is the script's
// name; when the query holds no "=", it is one more argument, with "+"
// turned into a space and nothing else decoded, and Python passes that
// argument even when it is empty.
//
// One deliberate difference: an argument that would start with "-" is
// not passed at all. php-cgi took such a query for its own options
// (CVE-2012-1823: "?-s" printed the source, "?-d+..." ran code).
func commandLine(s *script) []string {
	args := []string{s.base}
	if !strings.Contains(s.query, "=") {
		arg := strings.ReplaceAll(s.query, "+", " ")
		if !strings.HasPrefix(arg, "-") {
			args = append(args, arg)
		}
	}
	return args
}
