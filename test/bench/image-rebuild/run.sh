#!/usr/bin/env bash
# npm run bench:image — a full rebuild against skyshift's on the lab registry with a realistically large app image.
# Usage: run.sh [base-MiB] (default 400, in 4 layers of incompressible data); the agent image is 20 MiB like the real one.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SIZE=${1:-400}
# The counting proxy speaks plain HTTP to the registry: the benchmark runs it open (no TLS, no auth).
export SKYSHIFT_REGISTRY_AUTH=none
bash "$REPO/test/lab/registry/install.sh"
bash "$REPO/test/lab/registry/registry.sh" up
SKYSHIFT_AGENT_MB=${SKYSHIFT_AGENT_MB:-20} bash "$REPO/test/lab/images/build.sh" "$SIZE"
cd "$REPO"
# BuildKit rows when the lab's buildkitd is up (test/lab/images/buildkit/prove.sh starts it).
SOCK=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}/buildkit/buildkitd.sock
if [[ -z ${SKYSHIFT_BUILDKIT_ADDR:-} ]] && PATH="${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}/bin:$PATH" buildctl --addr "unix://$SOCK" debug workers >/dev/null 2>&1; then
  export SKYSHIFT_BUILDKIT_ADDR=unix://$SOCK PATH="${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}/bin:$PATH"
fi
SKYSHIFT_SOURCE_TAG=1.0-${SIZE}m npx ts-node --transpile-only test/bench/image-rebuild/bench.ts
