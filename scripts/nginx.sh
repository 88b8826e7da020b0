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
# shellcheck source=scripts/apt.sh
source "$(dirname "$0")/apt.sh"
apt_install nginx nginx-light
echo "nginx: installed $(/usr/sbin/nginx -v 2>&1)"
