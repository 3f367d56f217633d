#!/usr/bin/env bash
# Stretch: the generated Dockerfile through BuildKit itself. Builds buildkitd and buildctl from the Go module (wrapper
# module beside this script), installs runc, starts buildkitd (runc worker, native snapshotter) on a socket under the
# skyshift cache, makes the lab images, and runs prove.ts. Not part of CI: the Go build takes ~10 minutes.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
BIN=$CACHE/bin
DIR=$CACHE/buildkit
mkdir -p "$BIN" "$DIR"
export PATH="$BIN:$PATH"

if [[ ! -x $BIN/buildkitd || ! -x $BIN/buildctl ]]; then
  echo "building buildkitd and buildctl (module pinned in $HERE/go.mod)…"
  (cd "$HERE" && GOMODCACHE=$CACHE/gomod GOCACHE=$CACHE/gocache CGO_ENABLED=0 GOFLAGS=-mod=mod \
    go build -o "$BIN/" github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl)
fi
command -v runc >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq runc; }

# The lab's buildkitd has no CA or credentials for the lab registry: it uses the open one (plain HTTP).
export SKYSHIFT_REGISTRY_AUTH=none
bash "$REPO/test/lab/registry/install.sh"
bash "$REPO/test/lab/registry/registry.sh" up
SOCK=$DIR/buildkitd.sock
if ! buildctl --addr "unix://$SOCK" debug workers >/dev/null 2>&1; then
  nohup buildkitd --config "$HERE/buildkitd.toml" --root "$DIR/root" --addr "unix://$SOCK" >"$DIR/buildkitd.log" 2>&1 &
  echo $! >"$DIR/buildkitd.pid"
  for _ in $(seq 50); do buildctl --addr "unix://$SOCK" debug workers >/dev/null 2>&1 && break; sleep 0.2; done
fi
buildctl --addr "unix://$SOCK" debug workers >/dev/null || { echo "buildkitd did not start; log:" >&2; tail -n 20 "$DIR/buildkitd.log" >&2; exit 1; }
bash "$REPO/test/lab/images/build.sh" 0
cd "$REPO"
SKYSHIFT_BUILDKIT_ADDR="unix://$SOCK" npx ts-node --transpile-only test/lab/images/buildkit/prove.ts
