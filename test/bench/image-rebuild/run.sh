#!/usr/bin/env bash
# npm run bench:image — seed 000's rebuild against skyshift's on the lab registry with a realistically large app image.
# Usage: run.sh [base-MiB] (default 400, in 4 layers of incompressible data); the agent image is 20 MiB like the real one.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SIZE=${1:-400}
bash "$REPO/test/lab/registry/install.sh"
bash "$REPO/test/lab/registry/registry.sh" up
SKYSHIFT_AGENT_MB=${SKYSHIFT_AGENT_MB:-20} bash "$REPO/test/lab/images/build.sh" "$SIZE"
cd "$REPO"
SKYSHIFT_SOURCE_TAG=1.0-${SIZE}m npx ts-node --transpile-only test/bench/image-rebuild/bench.ts
