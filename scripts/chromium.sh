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
# shellcheck source=scripts/apt.sh
source "$(dirname "$0")/apt.sh"
apt_install chromium chromium poppler-utils
echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null | grep -m1 -i chromium || echo /usr/bin/chromium)"
