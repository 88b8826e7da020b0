#!/usr/bin/env bash
# Runs every check and test: installs what it needs, makes sure PostgreSQL and Redis run, type-checks
# and lints, then runs the unit and e2e tests (their own databases nida_test_*, Redis prefix nida-test-*).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
bash scripts/chromium.sh   # Debian's Chromium for the browser tests (apt-get, only when missing)
bash scripts/install.sh
npm run check --silent
npm run build --silent  # the process and hostile-client tests start the built app
npx jest --config jest.config.js --ci "$@"
