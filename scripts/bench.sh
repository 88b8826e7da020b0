#!/usr/bin/env bash
# Runs a benchmark script (default bench/run.js, the whole of `npm run bench`; or bench/scale-only.js
# and the other *-only.js) on Node 24 LTS, the Node deployments run (the Dockerfile's node:24),
# installed from the npm registry into a cache by scripts/node.sh as CI does. Every process of the
# run is that Node: the bench starts Nida's processes and the baselines with its own executable.
# BENCH_NODE_LINE=22 picks another line; BENCH_NODE_LINE=machine keeps the Node on PATH.
# Use: bash scripts/bench.sh [bench/scale-only.js]   (after `npm run build`)
set -euo pipefail
cd "$(dirname "$0")/.."

line=${BENCH_NODE_LINE:-24}
if [ "$line" != machine ]; then
  PATH="$(bash scripts/node.sh "$line"):$PATH"
  export PATH
fi
echo "bench: Node $(node --version) at $(command -v node)"
script=${1:-bench/run.js}
shift || true
exec node "$script" "$@"
