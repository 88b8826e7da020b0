#!/usr/bin/env bash
# Installs the exact dependencies of package-lock.json, unless they are installed already.
# --force: always run `npm ci` (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.install-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install: npm ci"
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
