#!/usr/bin/env bash
# Load test on loopback: httpserve against net/http.FileServer, in the same
# run, on the same 1 KiB file, with keep-alive (wrk reuses connections).
# Figures are only meaningful as the ratio printed at the end: the machine
# is shared and noisy. Usage: bench/run.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
command -v wrk >/dev/null || { echo "bench: wrk is required (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
head -c 1024 /dev/urandom > "$work/1k.bin"
go build -o "$work/httpserve" ./cmd/httpserve
go build -o "$work/netfileserver" ./bench/netfileserver

"$work/httpserve" -b 127.0.0.1 -p HTTP/1.1 -d "$work" 18080 >/dev/null 2>&1 &
"$work/netfileserver" -addr 127.0.0.1:18081 -d "$work" >/dev/null 2>&1 &
sleep 1

rps() { wrk -t2 -c"$conns" -d"${secs}s" "http://127.0.0.1:$1/1k.bin" | awk '/Requests\/sec/ {print $2}'; }
# Alternate the two servers so that drift in the machine's load hits both.
a1=$(rps 18080); b1=$(rps 18081); b2=$(rps 18081); a2=$(rps 18080)
awk -v a1="$a1" -v a2="$a2" -v b1="$b1" -v b2="$b2" 'BEGIN {
	a = (a1 + a2) / 2; b = (b1 + b2) / 2
	printf "httpserve           %10.0f req/s (%s, %s)\n", a, a1, a2
	printf "net/http.FileServer %10.0f req/s (%s, %s)\n", b, b1, b2
	printf "ratio               %10.2fx\n", a / b
}'
