#!/usr/bin/env bash
# The program's main job on the lab: build the tools if needed, start the cluster (with the operator and its CRDs),
# `pulumi up` the dev stack (Pulumi.dev.yaml) and print its outputs. Safe to run again: a second run
# changes nothing. `npm run lab:down` stops the cluster; the stack state stays in the lab cache.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
bash test/lab/bootstrap.sh
bash test/lab/lab.sh up
source test/lab/env.sh
pulumi stack select --create dev --non-interactive
# Every lab:up is a fresh cluster: --refresh lets the kept stack state notice and recreate what is gone.
pulumi up --yes --refresh --skip-preview --stack dev --non-interactive
echo
echo "dev stack outputs:"
pulumi stack output --stack dev --json
