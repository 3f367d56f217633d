#!/usr/bin/env bash
# `pulumi up` of an AgentImageRebuild under the real engine, then the real-build checks on the pushed image and
# `pulumi preview --expect-no-changes` (a deterministic tag previews as no change). Usage: prove.sh [builder]
#   docker-build (default)  through @pulumi/docker-build and the lab's buildkitd, via a buildx "remote" builder (no
#                           Docker daemon). Needs test/lab/images/buildkit/prove.sh run first (buildkitd up) and
#                           pulumi-resource-docker-build on PATH (test/lab/images/buildkit/build-provider.sh).
#   layer-append            through the dynamic provider; needs only the registry and lab images (test/lab/images/prove.sh).
# Both need the lab's pulumi CLI and Node.js language host (npm run lab:tools).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
BUILDER=${1:-docker-build}
CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
export PATH="$CACHE/bin:$PATH"
if [[ $BUILDER == docker-build ]]; then
  command -v pulumi-resource-docker-build >/dev/null || { echo "pulumi-resource-docker-build is not on PATH: run test/lab/images/buildkit/build-provider.sh" >&2; exit 1; }
fi
command -v pulumi >/dev/null || { echo "pulumi is not on PATH: build the lab's CLI (test/lab)" >&2; exit 1; }

# buildx keeps builders in $DOCKER_CONFIG/buildx/instances; the provider reads the same store.
export DOCKER_CONFIG=$CACHE/docker
mkdir -p "$DOCKER_CONFIG/buildx/instances"
cat >"$DOCKER_CONFIG/buildx/instances/skyshift-buildkit" <<JSON
{"Name":"skyshift-buildkit","Driver":"remote","Nodes":[{"Name":"skyshift-buildkit0","Endpoint":"unix://$CACHE/buildkit/buildkitd.sock","Platforms":null,"DriverOpts":{},"Flags":null,"Files":null}],"Dynamic":false}
JSON

# A throwaway backend and engine log (kept in $SKYSHIFT_PROOF_OUT when the caller checks them), and no stack file
# left in the tree.
OUT=${SKYSHIFT_PROOF_OUT:-$(mktemp -d)}
STATE=$OUT/pulumi-state ENGINE_LOG=$OUT/engine.log
mkdir -p "$STATE"
trap '[[ -n ${SKYSHIFT_PROOF_OUT:-} ]] || rm -rf "$OUT"; rm -f "$HERE/program/Pulumi.lab.yaml"' EXIT
export PULUMI_HOME=$CACHE/pulumi-home PULUMI_BACKEND_URL=file://$STATE PULUMI_CONFIG_PASSPHRASE=skyshift-lab \
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_SKIP_UPDATE_CHECK=true
# The lab registry (TLS from the lab CA, htpasswd auth): its address, CA, username and password file. The dynamic
# provider's node trusts the CA through NODE_EXTRA_CA_CERTS. docker-build's BuildKit uses the open registry
# (SKYSHIFT_REGISTRY_AUTH=none, see buildkit/prove.sh): no credentials then.
eval "$(bash "$REPO/test/lab/registry/registry.sh" env)"
manifest=$SKYSHIFT_REGISTRY/v2/lab/order-service/manifests/1.0-0m
accept='Accept: application/vnd.oci.image.manifest.v1+json'
if [[ ${SKYSHIFT_REGISTRY_AUTH:-htpasswd} == none ]]; then
  headers=$(curl -fsSI -H "$accept" "http://$manifest")
else
  export NODE_EXTRA_CA_CERTS=$SKYSHIFT_REGISTRY_CA
  # curl reads the credential from a config on stdin, so it never shows in a process list.
  headers=$(printf 'user = "%s:%s"\n' "$SKYSHIFT_REGISTRY_USERNAME" "$(cat "$SKYSHIFT_REGISTRY_PASSWORD_FILE")" \
    | curl -fsSI -K - --cacert "$SKYSHIFT_REGISTRY_CA" -H "$accept" "https://$manifest")
fi
digest=$(tr -d '\r' <<<"$headers" | awk 'tolower($1)=="docker-content-digest:" {print $2}')
cd "$HERE/program"
pulumi stack init lab --non-interactive
pulumi config set sourceImage "$SKYSHIFT_REGISTRY/lab/order-service:1.0-0m@$digest"
pulumi config set builder "$BUILDER"
pulumi config set registry "$SKYSHIFT_REGISTRY"
if [[ ${SKYSHIFT_REGISTRY_AUTH:-htpasswd} != none ]]; then
  pulumi config set registryUsername "$SKYSHIFT_REGISTRY_USERNAME"
  # As the README says to set it, but from stdin: a Pulumi secret, encrypted in the stack file and the state.
  pulumi config set --secret skyshift-secrets:imageRegistryPassword <"$SKYSHIFT_REGISTRY_PASSWORD_FILE"
fi
# The engine log: the engine's own diagnostics at verbosity 9, with the update's output.
pulumi up --yes --skip-preview --non-interactive --logtostderr -v=9 >>"$ENGINE_LOG" 2>&1 || { tail -n 40 "$ENGINE_LOG"; exit 1; }
ref=$(pulumi stack output imageRef)
pulumi preview --diff --expect-no-changes --non-interactive
cd "$REPO"
# buildah reads DOCKER_CONFIG too, and would look for an auth file there.
unset DOCKER_CONFIG
if [[ ${SKYSHIFT_REGISTRY_AUTH:-htpasswd} == none ]]; then
  SKYSHIFT_REGISTRY=$SKYSHIFT_REGISTRY npx ts-node --transpile-only test/lab/images/pulumi/verify.ts "${ref%%:otel-*}@${ref##*@}" "$BUILDER"
else
  export SKYSHIFT_REGISTRY SKYSHIFT_REGISTRY_AUTH_FILE SKYSHIFT_REGISTRY_CERT_DIR SKYSHIFT_REGISTRY_USERNAME SKYSHIFT_REGISTRY_PASSWORD_FILE
  npx ts-node --transpile-only test/lab/images/pulumi/verify.ts "${ref%%:otel-*}@${ref##*@}" "$BUILDER"
  bash "$HERE/../no-leak.sh" "$SKYSHIFT_REGISTRY_PASSWORD_FILE" "$SKYSHIFT_REGISTRY_USERNAME" "$STATE" "$ENGINE_LOG"
fi
