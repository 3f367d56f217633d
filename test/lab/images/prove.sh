#!/usr/bin/env bash
# The image rebuild proved with real parts (CI runs this): installs buildah and the registry if missing, starts the
# lab registry, makes the lab images locally and runs test/lab/images/prove.ts. Fails loudly on any missing tool.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
bash "$REPO/test/lab/registry/install.sh"
bash "$REPO/test/lab/registry/registry.sh" up
bash "$HERE/build.sh" 0
cd "$REPO"
SKYSHIFT_REGISTRY=$(bash test/lab/registry/registry.sh url) npx ts-node --transpile-only test/lab/images/prove.ts
