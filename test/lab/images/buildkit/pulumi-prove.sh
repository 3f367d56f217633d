#!/usr/bin/env bash
# Stretch, second half: `pulumi up` of an AgentImageRebuild with the default docker-build builder, built by the lab's
# buildkitd through a buildx "remote" builder (no Docker daemon), then the real-build checks on the pushed image and
# `pulumi preview --expect-no-changes` (a deterministic tag previews as no change).
# Needs: prove.sh beside this script run first (buildkitd up, lab images pushed); the lab's pulumi CLI and Node.js
# language host (test/lab); and pulumi-resource-docker-build on PATH (build-provider.sh beside this script).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
export PATH="$CACHE/bin:$PATH"
command -v pulumi-resource-docker-build >/dev/null || { echo "pulumi-resource-docker-build is not on PATH (docs/image-rebuild.md)" >&2; exit 1; }
command -v pulumi >/dev/null || { echo "pulumi is not on PATH: build the lab's CLI (test/lab)" >&2; exit 1; }

# buildx keeps builders in $DOCKER_CONFIG/buildx/instances; the provider reads the same store.
export DOCKER_CONFIG=$CACHE/docker
mkdir -p "$DOCKER_CONFIG/buildx/instances"
cat >"$DOCKER_CONFIG/buildx/instances/skyshift-buildkit" <<JSON
{"Name":"skyshift-buildkit","Driver":"remote","Nodes":[{"Name":"skyshift-buildkit0","Endpoint":"unix://$CACHE/buildkit/buildkitd.sock","Platforms":null,"DriverOpts":{},"Flags":null,"Files":null}],"Dynamic":false}
JSON

STATE=$(mktemp -d)
# A throwaway backend, and no stack file left in the tree.
trap 'rm -rf "$STATE" "$HERE/pulumi/Pulumi.lab.yaml"' EXIT
export PULUMI_HOME=$CACHE/pulumi-home PULUMI_BACKEND_URL=file://$STATE PULUMI_CONFIG_PASSPHRASE=skyshift-lab \
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_SKIP_UPDATE_CHECK=true
digest=$(curl -fsSI -H 'Accept: application/vnd.oci.image.manifest.v1+json' http://127.0.0.1:5000/v2/lab/order-service/manifests/1.0-0m \
  | tr -d '\r' | awk 'tolower($1)=="docker-content-digest:" {print $2}')
cd "$HERE/pulumi"
pulumi stack init lab --non-interactive
pulumi config set sourceImage "127.0.0.1:5000/lab/order-service:1.0-0m@$digest"
pulumi up --yes --skip-preview --non-interactive
ref=$(pulumi stack output imageRef)
pulumi preview --diff --expect-no-changes --non-interactive
cd "$REPO"
# buildah reads DOCKER_CONFIG too, and would look for an auth file there.
unset DOCKER_CONFIG
npx ts-node --transpile-only test/lab/images/buildkit/verify.ts "${ref%%:otel-*}@${ref##*@}"
