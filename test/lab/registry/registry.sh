#!/usr/bin/env bash
# A real OCI registry (Debian's docker-registry) on 127.0.0.1 with our own config, for the image-rebuild proof
# and benchmark. Usage: registry.sh up|down|clean|status|url|env. Port: SKYSHIFT_REGISTRY_PORT (default 5000).
# `clean` stops it and deletes its storage: every benchmark run pushes a new few-hundred-MiB base image.
#
# It serves HTTPS with a certificate from the lab CA ($LAB_RUN/pki, made by `lab.sh pki`) and asks for a
# username and password (htpasswd, bcrypt), as a private registry does. The password is random, made once, and
# kept in files readable only by the owner: `registry.sh env` names the files, never the password.
# SKYSHIFT_REGISTRY_AUTH=none starts it open on plain HTTP instead: the benchmark counts bytes through a
# plain-HTTP proxy in front of it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORT=${SKYSHIFT_REGISTRY_PORT:-5000}
CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
DIR=$CACHE/registry
PIDFILE=$DIR/registry-$PORT.pid
LOG=$DIR/registry-$PORT.log
MODEFILE=$DIR/registry-$PORT.mode
MODE=${SKYSHIFT_REGISTRY_AUTH:-htpasswd}
TLS=$DIR/tls
AUTH=$DIR/auth-$PORT
USERNAME=skyshift-lab
LAB_CA=$CACHE/lab/pki

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
healthy() {
  if [[ $MODE == none ]]; then curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v2/" 2>/dev/null; return; fi
  # Without credentials a registry with auth answers 401: the TLS handshake against the lab CA is what this checks.
  [[ $(curl -sS -o /dev/null -w '%{http_code}' --cacert "$TLS/certs.d/ca.crt" "https://127.0.0.1:$PORT/v2/" 2>/dev/null) == 401 ]]
}

# A serving certificate for 127.0.0.1 signed by the lab CA; certs.d/ca.crt is the layout buildah's --cert-dir reads.
ensure_tls() {
  bash "$HERE/../lab.sh" pki
  [[ -f $TLS/registry.crt && $TLS/registry.crt -nt $LAB_CA/ca.crt ]] && return 0
  mkdir -p "$TLS/certs.d"
  openssl req -newkey rsa:2048 -nodes -subj /CN=skyshift-lab-registry -keyout "$TLS/registry.key" -out "$TLS/registry.csr" 2>/dev/null
  openssl x509 -req -in "$TLS/registry.csr" -CA "$LAB_CA/ca.crt" -CAkey "$LAB_CA/ca.key" -CAcreateserial -CAserial "$TLS/ca.srl" \
    -days 3650 -out "$TLS/registry.crt" -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n') 2>/dev/null
  cp "$LAB_CA/ca.crt" "$TLS/certs.d/ca.crt"
  rm -f "$TLS/registry.csr" "$TLS/ca.srl"
}

# htpasswd (bcrypt, the only hash docker-registry accepts) from a random password read on stdin, so it never
# appears in a process list; auth.json is the containers-auth.json file buildah's --authfile reads.
ensure_auth() {
  [[ -f $AUTH/htpasswd && -f $AUTH/auth.json ]] && return 0
  command -v htpasswd >/dev/null || { echo "htpasswd is missing: run test/lab/registry/install.sh" >&2; exit 1; }
  (
    umask 077
    mkdir -p "$AUTH"
    openssl rand -hex 24 >"$AUTH/password"
    htpasswd -B -i -c "$AUTH/htpasswd" "$USERNAME" <"$AUTH/password" 2>/dev/null
    printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}}\n' "$PORT" "$(printf '%s:%s' "$USERNAME" "$(cat "$AUTH/password")" | base64 -w0)" >"$AUTH/auth.json"
  )
}

write_config() {
  cat <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $DIR/storage-$PORT}
  delete: {enabled: true}
YAML
  if [[ $MODE == none ]]; then
    echo "http: {addr: 127.0.0.1:$PORT}"
  else
    echo "http: {addr: 127.0.0.1:$PORT, tls: {certificate: $TLS/registry.crt, key: $TLS/registry.key}}"
    echo "auth: {htpasswd: {realm: skyshift-lab, path: $AUTH/htpasswd}}"
  fi
}

up() {
  command -v docker-registry >/dev/null || { echo "docker-registry is missing: run test/lab/registry/install.sh" >&2; exit 1; }
  [[ $MODE == none || $MODE == htpasswd ]] || { echo "SKYSHIFT_REGISTRY_AUTH=$MODE: use htpasswd (default) or none" >&2; exit 2; }
  if running && [[ $(cat "$MODEFILE" 2>/dev/null) == "$MODE" ]] && healthy; then echo "registry already up on 127.0.0.1:$PORT ($MODE)"; return; fi
  running && down
  mkdir -p "$DIR/storage-$PORT"
  [[ $MODE == none ]] || { ensure_tls; ensure_auth; }
  write_config >"$DIR/config-$PORT.yml"
  nohup docker-registry serve "$DIR/config-$PORT.yml" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  echo "$MODE" >"$MODEFILE"
  for _ in $(seq 50); do
    if healthy; then echo "registry up on 127.0.0.1:$PORT ($MODE; storage $DIR/storage-$PORT)"; return; fi
    sleep 0.2
  done
  echo "registry did not answer on 127.0.0.1:$PORT; log:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
}

down() {
  if running; then kill "$(cat "$PIDFILE")"; fi
  rm -f "$PIDFILE" "$MODEFILE"
  echo "registry on 127.0.0.1:$PORT stopped"
}

# What clients need, as NAME=value lines: the address, the CA, buildah's cert dir and auth file, the username and
# the file holding the password.
client_env() {
  echo "SKYSHIFT_REGISTRY=127.0.0.1:$PORT"
  echo "SKYSHIFT_REGISTRY_CA=$TLS/certs.d/ca.crt"
  echo "SKYSHIFT_REGISTRY_CERT_DIR=$TLS/certs.d"
  echo "SKYSHIFT_REGISTRY_AUTH_FILE=$AUTH/auth.json"
  echo "SKYSHIFT_REGISTRY_USERNAME=$USERNAME"
  echo "SKYSHIFT_REGISTRY_PASSWORD_FILE=$AUTH/password"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  clean) down; rm -rf "$DIR/storage-$PORT"; echo "registry storage $DIR/storage-$PORT deleted" ;;
  status) if running && healthy; then echo "up 127.0.0.1:$PORT ($(cat "$MODEFILE"))"; else echo "down"; exit 1; fi ;;
  url) echo "127.0.0.1:$PORT" ;;
  env) client_env ;;
  *) echo "usage: $0 up|down|clean|status|url|env" >&2; exit 2 ;;
esac
