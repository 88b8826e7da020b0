#!/usr/bin/env bash
# Runs every check and test: installs what it needs, makes sure PostgreSQL and Redis run, type-checks
# and lints, then runs the unit and e2e tests (their own database and Redis prefix per run).
# The Node.js is the one on PATH; NODE_LINE=24 (or 22) runs everything on that line instead,
# installed from the npm registry into a cache by scripts/node.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${NODE_LINE:-}" ]; then
  PATH="$(bash scripts/node.sh "$NODE_LINE"):$PATH"
  export PATH
fi
echo "test: Node $(node --version) at $(command -v node)"

bash scripts/services.sh
bash scripts/chromium.sh   # Debian's Chromium for the browser tests (apt-get, only when missing)
bash scripts/nginx.sh      # Debian's nginx for the load balancer test (apt-get, only when missing)
bash scripts/install.sh
npm run check --silent
npm run build --silent  # the process and hostile-client tests start the built app
# Two Jest workers (TEST_WORKERS), each with its own databases and Redis prefix: most e2e time is
# waiting (mail, queues, a browser), so two files at once finish the suite in far less time.
node node_modules/.bin/jest --config jest.config.js --ci --maxWorkers="${TEST_WORKERS:-2}" "$@"
echo "test: passed on Node $(node --version)"
