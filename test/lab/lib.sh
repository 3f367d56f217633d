#!/usr/bin/env bash
# Shared helpers for the lab scripts: one cache outside the repo, idempotent steps, timed progress.
set -euo pipefail

LAB_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SKYSHIFT_CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
LAB_BIN=$SKYSHIFT_CACHE/bin
LAB_STAMPS=$SKYSHIFT_CACHE/stamps
LAB_LOGS=$SKYSHIFT_CACHE/logs
LAB_RUN=$SKYSHIFT_CACHE/lab
mkdir -p "$LAB_BIN" "$LAB_STAMPS" "$LAB_LOGS" "$LAB_RUN"
export PATH="$LAB_BIN:$PATH"
# A private module and build cache keeps the lab's Go builds resumable and out of the user's own caches' way.
export GOMODCACHE=${GOMODCACHE_OVERRIDE:-$SKYSHIFT_CACHE/gomod}
export GOCACHE=${GOCACHE_OVERRIDE:-$SKYSHIFT_CACHE/gocache}
export GOFLAGS=-mod=mod
export CGO_ENABLED=0

lab_now() { date +%s; }
lab_log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# lab_step NAME KEY CMD... — runs CMD once per (NAME, KEY); KEY carries the pinned version so a bump rebuilds.
# Output goes to $LAB_LOGS/NAME.log; on failure the component, the command and the log's tail are printed.
lab_step() {
  local name=$1 key=$2; shift 2
  local stamp="$LAB_STAMPS/$name@$key"
  if [[ -f $stamp ]]; then
    lab_log "$name $key: up to date"
    return 0
  fi
  local start; start=$(lab_now)
  lab_log "$name $key: building…"
  if ! "$@" >"$LAB_LOGS/$name.log" 2>&1; then
    lab_log "$name $key: FAILED after $(( $(lab_now) - start ))s running: $*"
    tail -n 30 "$LAB_LOGS/$name.log" >&2
    lab_log "full log: $LAB_LOGS/$name.log"
    return 1
  fi
  rm -f "$LAB_STAMPS/$name@"*
  touch "$stamp"
  lab_log "$name $key: done in $(( $(lab_now) - start ))s"
}
