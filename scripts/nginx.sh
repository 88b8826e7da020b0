#!/usr/bin/env bash
# Makes sure Debian's nginx is installed for the load-balancer test (test/e2e/nginx-scale, which runs
# it on loopback, as the test user, with deploy/nginx-test.conf). Installs the distribution's
# `nginx-light` package with apt-get when no nginx is on the PATH or in /usr/sbin.
set -euo pipefail

found="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
if [ -n "$found" ]; then
  echo "nginx: $("$found" -v 2>&1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "nginx: nginx is missing and apt-get is not available; install nginx and run this again" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
echo "nginx: installed $(/usr/sbin/nginx -v 2>&1)"
