#!/usr/bin/env bash
# A throwaway Redis Cluster of three masters (no replicas) on loopback, from Debian's redis-server,
# for trying REDIS_CLUSTER_NODES and for the cluster e2e test. Nothing is saved to disk.
#
#   scripts/redis-cluster.sh start [base-port]   # masters on base..base+2 (default 7101-7103)
#   scripts/redis-cluster.sh stop  [base-port]
#
# Each node also takes a cluster bus port, base+3..base+5 (7104-7106 by default): six ports in a row,
# below Linux's ephemeral range (32768+) where they would meet outgoing connections. Files (config,
# logs, pids) are in /tmp/nida-redis-cluster-<base>, removed on stop. Prints REDIS_CLUSTER_NODES.
set -euo pipefail

cmd="${1:-}"
base="${2:-7101}"
[[ "$base" =~ ^[0-9]+$ ]] && (( base >= 1024 && base + 5 <= 65535 )) || { echo "redis-cluster: base port must be 1024-65530" >&2; exit 2; }
ports=("$base" "$((base + 1))" "$((base + 2))")
dir="/tmp/nida-redis-cluster-$base"
nodes="$(printf '127.0.0.1:%s,' "${ports[@]}")"; nodes="${nodes%,}"

cluster_ok() { redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok'; }

stop() {
  for port in "${ports[@]}"; do
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  done
  # A node that did not answer: end it by the pid it wrote (ours only, never by name).
  for port in "${ports[@]}"; do
    pidfile="$dir/$port.pid"
    if [[ -f "$pidfile" ]]; then
      pid="$(cat "$pidfile")"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir"
}

case "$cmd" in
  start)
    command -v redis-server >/dev/null && command -v redis-cli >/dev/null || { echo "redis-cluster: needs redis-server and redis-cli (apt-get install redis-server)" >&2; exit 1; }
    [[ -e "$dir" ]] && { echo "redis-cluster: $dir exists (a cluster on $base already runs? stop it first)" >&2; exit 1; }
    mkdir -p "$dir"
    for port in "${ports[@]}"; do
      redis-server --port "$port" --cluster-port "$((port + 3))" --bind 127.0.0.1 --protected-mode yes \
        --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 5000 \
        --save "" --appendonly no --dir "$dir" \
        --daemonize yes --pidfile "$dir/$port.pid" --logfile "$dir/$port.log"
    done
    for port in "${ports[@]}"; do
      for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
      redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG || { echo "redis-cluster: node $port did not start (see $dir/$port.log)" >&2; cat "$dir/$port.log" >&2 || true; stop; exit 1; }
    done
    redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 \
      || { echo "redis-cluster: create failed" >&2; cat "$dir/create.log" >&2; stop; exit 1; }
    for port in "${ports[@]}"; do
      for _ in $(seq 1 100); do cluster_ok "$port" && break; sleep 0.1; done
      cluster_ok "$port" || { echo "redis-cluster: node $port is not cluster_state:ok" >&2; stop; exit 1; }
    done
    echo "REDIS_CLUSTER_NODES=$nodes"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: $0 start|stop [base-port]" >&2
    exit 2
    ;;
esac
