#!/usr/bin/env bash
# CGI load test on loopback: httpserve --cgi against python3 -m http.server
# --cgi, in the same run, on the same hello-world /bin/sh script, with 8
# concurrent clients. Python's CGI handler speaks HTTP/1.0 and closes every
# connection, so both servers run with their default HTTP/1.0 and wrk
# reconnects for each request; httpserve -p HTTP/1.1 with keep-alive is
# printed as an extra line, outside the ratio. Each request forks and
# execs a shell, so the figures measure process start-up as much as the
# servers. Only the ratio is meaningful: the machine is shared and noisy.
# Usage: bench/cgi.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-8}
command -v wrk >/dev/null || { echo "bench: wrk is required (apt-get install wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is required" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/httpserve" ./cmd/httpserve
# Run as root, both servers run scripts as nobody, who must reach them:
# mktemp -d makes a 0700 directory.
root="$work/root"
mkdir -p "$root/cgi-bin"
chmod 0755 "$work" "$root" "$root/cgi-bin"
printf '#!/bin/sh\nprintf '"'"'Content-Type: text/plain\\n\\nhello\\n'"'"'\n' > "$root/cgi-bin/hello.sh"
chmod 0755 "$root/cgi-bin/hello.sh"

python3 -m http.server --cgi -b 127.0.0.1 -d "$root" 18090 >/dev/null 2>&1 &
"$work/httpserve" --cgi -b 127.0.0.1 -d "$root" 18091 >/dev/null 2>&1 &
"$work/httpserve" --cgi -p HTTP/1.1 -b 127.0.0.1 -d "$root" 18092 >/dev/null 2>&1 &
sleep 1
for port in 18090 18091 18092; do
	body=$(curl -sf "http://127.0.0.1:$port/cgi-bin/hello.sh") || true
	[ "$body" = hello ] || { echo "bench: port $port answered $body, not hello" >&2; exit 1; }
done

# rps prints requests per second; wrk's error lines, if any, go to stderr.
# Over HTTP/1.0 every response ends with the connection, and wrk counts
# each such close as a read error after counting the request: read errors
# about equal to the request count are expected there, nothing else is.
rps() {
	local out
	out=$(wrk -t2 -c"$conns" -d"${secs}s" "http://127.0.0.1:$1/cgi-bin/hello.sh")
	grep -E 'Socket errors|Non-2xx' <<<"$out" | sed "s/^/bench: port $1: /" >&2 || true
	awk '/Requests\/sec/ {print $2}' <<<"$out"
}
# Alternate the two servers so that drift in the machine's load hits both.
a1=$(rps 18091); b1=$(rps 18090); b2=$(rps 18090); a2=$(rps 18091)
k=$(rps 18092)
awk -v a1="$a1" -v a2="$a2" -v b1="$b1" -v b2="$b2" -v k="$k" 'BEGIN {
	a = (a1 + a2) / 2; b = (b1 + b2) / 2
	printf "httpserve --cgi            %8.0f req/s (%s, %s)\n", a, a1, a2
	printf "python3 -m http.server --cgi %6.0f req/s (%s, %s)\n", b, b1, b2
	printf "ratio                      %8.2fx\n", a / b
	printf "httpserve -p HTTP/1.1      %8.0f req/s (keep-alive; not in the ratio)\n", k
}'
