#!/usr/bin/env bash
# Starts Nida on http://localhost:3000 (PORT) with the demo campaign: installs what it needs,
# makes sure PostgreSQL and Redis run, builds, creates and migrates the database, seeds the demo.
# Without SMTP_URL it also runs maildev, a local mail catcher: every email Nida sends lands in its
# web inbox at http://localhost:1080 (MAILDEV_WEB_PORT) instead of going out.
# Outside production Nida listens on 127.0.0.1 only (HOST): another machine can reach it only with
# HOST set and its own APP_SECRET, ADMIN_EMAIL and ADMIN_PASSWORD (else it refuses to start, exit 78).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
bash scripts/install.sh
npm run build --silent

if [ -z "${SMTP_URL:-}" ] && [ "${NODE_ENV:-development}" != "production" ]; then
  smtp_port=${MAILDEV_SMTP_PORT:-1025}
  web_port=${MAILDEV_WEB_PORT:-1080}
  if (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; then
    echo "start: a mail catcher already listens on $smtp_port; using it"
  else
    node_modules/.bin/maildev --smtp "$smtp_port" --web "$web_port" --ip 127.0.0.1 --silent &
    maildev_pid=$!
    trap 'kill "$maildev_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.2; done
  fi
  export SMTP_URL="smtp://127.0.0.1:$smtp_port"
  echo "start: mail goes to the maildev inbox at http://localhost:$web_port"
fi

echo "start: Nida on ${PUBLIC_URL:-http://localhost:${PORT:-3000}} (Ctrl-C stops it)"
# One malloc arena (README: "Memory"); a value already in the environment is kept.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1} node --max-semi-space-size=8 dist/src/main &
nida_pid=$!
trap 'kill -TERM "$nida_pid" 2>/dev/null || true; wait "$nida_pid" 2>/dev/null || true; kill "${maildev_pid:-}" 2>/dev/null || true' EXIT INT TERM
wait "$nida_pid"
