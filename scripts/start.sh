#!/usr/bin/env bash
# Starts Nida on http://localhost:3000 (PORT) with the demo campaign: installs what it needs,
# makes sure PostgreSQL and Redis run, builds, creates and migrates the database, seeds the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
bash scripts/install.sh
npm run build --silent
echo "start: Nida on ${PUBLIC_URL:-http://localhost:${PORT:-3000}} (Ctrl-C stops it)"
exec node dist/src/main
