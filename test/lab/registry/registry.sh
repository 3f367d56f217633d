#!/usr/bin/env bash
# A real OCI registry (Debian's docker-registry) on 127.0.0.1 with our own config, for the image-rebuild proof
# and benchmark. Usage: registry.sh up|down|clean|status|url. Port: SKYSHIFT_REGISTRY_PORT (default 5000).
# `clean` stops it and deletes its storage: every benchmark run pushes a new few-hundred-MiB base image.
set -euo pipefail

PORT=${SKYSHIFT_REGISTRY_PORT:-5000}
CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
DIR=$CACHE/registry
PIDFILE=$DIR/registry-$PORT.pid
LOG=$DIR/registry-$PORT.log

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
healthy() { curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v2/" 2>/dev/null; }

up() {
  command -v docker-registry >/dev/null || { echo "docker-registry is missing: run test/lab/registry/install.sh" >&2; exit 1; }
  if running && healthy; then echo "registry already up on 127.0.0.1:$PORT"; return; fi
  mkdir -p "$DIR/storage-$PORT"
  # Debian's packaged config asks for htpasswd auth and listens on every interface; ours is loopback-only and open,
  # because the lab proves image contents, not registry auth (the unit tests cover how credentials are passed).
  cat >"$DIR/config-$PORT.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $DIR/storage-$PORT}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$PORT
YAML
  nohup docker-registry serve "$DIR/config-$PORT.yml" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 50); do
    if healthy; then echo "registry up on 127.0.0.1:$PORT (storage $DIR/storage-$PORT)"; return; fi
    sleep 0.2
  done
  echo "registry did not answer on 127.0.0.1:$PORT; log:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
}

down() {
  if running; then kill "$(cat "$PIDFILE")"; fi
  rm -f "$PIDFILE"
  echo "registry on 127.0.0.1:$PORT stopped"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  clean) down; rm -rf "$DIR/storage-$PORT"; echo "registry storage $DIR/storage-$PORT deleted" ;;
  status) if running && healthy; then echo "up 127.0.0.1:$PORT"; else echo "down"; exit 1; fi ;;
  url) echo "127.0.0.1:$PORT" ;;
  *) echo "usage: $0 up|down|status|url" >&2; exit 2 ;;
esac
