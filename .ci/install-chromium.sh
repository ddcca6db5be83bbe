#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test
# (cmd/httpserve/browser_test.go), unless both are there already. As root,
# from Debian's packages only: the test needs no other download.
set -euo pipefail

fail() { printf 'install-chromium: error: %s\n' "$*" >&2; exit 1; }

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
	exit 0
fi

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || fail "not root and no sudo: install chromium and chromium-driver by hand"
	sudo=sudo
fi
command -v apt-get >/dev/null || fail "apt-get not found: install chromium and chromium-driver (Debian's packages) by hand"

echo "install-chromium: installing chromium and chromium-driver with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q || fail "apt-get update failed"
$sudo apt-get install -y -q --no-install-recommends chromium chromium-driver ||
	fail "apt-get install chromium chromium-driver failed"

for f in /usr/bin/chromium /usr/bin/chromedriver; do
	[ -x "$f" ] || fail "$f is still missing after apt-get install"
done
/usr/bin/chromium --version >&2 || fail "/usr/bin/chromium does not run"
/usr/bin/chromedriver --version >&2 || fail "/usr/bin/chromedriver does not run"
