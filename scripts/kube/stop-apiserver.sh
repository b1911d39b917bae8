#!/usr/bin/env bash
# Stops what scripts/kube/start-apiserver.sh WORKDIR started (by the pids it recorded) and removes etcd's data.
# usage: scripts/kube/stop-apiserver.sh WORKDIR
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
cd "$1" || exit 0
for name in watchdog apiserver etcd; do
  [ -f "$name.pid" ] || continue
  pid=$(cat "$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$name.pid"
done
rm -rf etcd-data
