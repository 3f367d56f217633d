#!/usr/bin/env bash
# npm run bench:fleet [N …] — skyshift against the engine's floor at fleet size (test/bench/fleet/bench.ts).
# Needs the lab tools and a running lab (npm run lab:tools && npm run lab:up). Default N: 200.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$REPO"
exec npx ts-node --transpile-only test/bench/fleet/bench.ts "$@"
