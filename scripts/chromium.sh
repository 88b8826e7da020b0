#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (test/e2e/pages-browser)
# and the PDF dossiers, and poppler-utils' pdftotext for the dossier tests. Installs the distribution's
# `chromium` and `poppler-utils` packages with apt-get when missing; never downloads a browser any
# other way (no `playwright install`).
set -euo pipefail

if [ -x /usr/bin/chromium ] && command -v pdftotext >/dev/null 2>&1; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | grep -m1 -i chromium || echo /usr/bin/chromium)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: /usr/bin/chromium is missing and apt-get is not available; install Chromium and run this again" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null | grep -m1 -i chromium || echo /usr/bin/chromium)"
