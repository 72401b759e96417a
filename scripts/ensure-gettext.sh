#!/usr/bin/env bash
# The buyer pages' translations (locale/<lang>/LC_MESSAGES/django.po) are compiled to .mo files
# by `manage.py compilemessages`, which runs GNU gettext's msgfmt. Install gettext when msgfmt is
# missing and we can (root + apt), as scripts/ensure-browser.sh does for Chromium.
set -uo pipefail
command -v msgfmt >/dev/null && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing gettext (msgfmt) to compile the translations…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
fi
command -v msgfmt >/dev/null && exit 0
echo "ERROR: msgfmt is missing: install GNU gettext (Debian/Ubuntu: apt-get install gettext;" \
  "macOS: brew install gettext) so the buyer pages' translations can be compiled." >&2
exit 1
