#!/usr/bin/env bash
# The image rebuild proved with real parts (CI runs this): installs buildah and the registry if missing, starts the
# lab registry (TLS from the lab CA, htpasswd auth), makes the lab images locally, runs test/lab/images/prove.ts,
# then a layer-append AgentImageRebuild under the real engine with the password from a Pulumi secret
# (pulumi/prove.sh; needs `npm run lab:tools`). Last, the registry password must appear nowhere in this run's
# output, the Pulumi state or the engine log. Fails loudly on any missing tool.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
prove() {
  bash "$REPO/test/lab/registry/install.sh"
  bash "$REPO/test/lab/registry/registry.sh" up
  bash "$HERE/build.sh" 0
  cd "$REPO"
  # The clients' settings: address, lab CA, buildah's auth file, username, password file (never the password).
  set -a
  eval "$(bash test/lab/registry/registry.sh env)"
  set +a
  NODE_EXTRA_CA_CERTS=$SKYSHIFT_REGISTRY_CA npx ts-node --transpile-only test/lab/images/prove.ts
  SKYSHIFT_PROOF_OUT=$OUT bash "$HERE/pulumi/prove.sh" layer-append
}
prove 2>&1 | tee "$OUT/test-output.log"
eval "$(bash "$REPO/test/lab/registry/registry.sh" env | grep -E '^SKYSHIFT_REGISTRY_(USERNAME|PASSWORD_FILE)=')"
bash "$HERE/no-leak.sh" "$SKYSHIFT_REGISTRY_PASSWORD_FILE" "$SKYSHIFT_REGISTRY_USERNAME" "$OUT/test-output.log" "$OUT/pulumi-state" "$OUT/engine.log"
