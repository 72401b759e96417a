#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a browser downloaded by a test tool).
# Install it when missing and we can (root + apt); otherwise the browser tests skip with a
# notice, except under CI=true where a missing browser is an error.
set -uo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: $CHROMIUM is missing and could not be installed; CI needs the browser tests." >&2
  exit 1
fi
echo "NOTICE: no Chromium at $CHROMIUM and no way to install it: browser tests will be skipped." >&2
