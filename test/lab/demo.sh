#!/usr/bin/env bash
# The program's main job on the lab, step by step: build the tools if needed, start the cluster (with the operator
# and its CRDs), apply a sample fleet (test/lab/demo/fleet.yaml), discover it, `pulumi up` the dev stack's platform,
# then migrate one app from SkyWalking to OpenTelemetry and roll it back. Every step prints its command
# (`+ cmd`) before its output, so a reader can repeat it by hand.
#
# It works in a copy of the project under the lab cache ($SKYSHIFT_CACHE/demo/project, made fresh on every run,
# node_modules linked): discover and `pulumi config set` write skyshift.dev.inventory.yaml and Pulumi.dev.yaml there,
# never into the repo's committed files. The stack state is the lab's (dev stack), so a second run starts from
# the platform the first left and walks the same flip again. `npm run lab:down` stops the cluster.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
APP=demo/order
SERVICE=shop-order     # the app's SkyWalking service name (SW_AGENT_NAME in the fleet), kept after the flip
ROUTE=/order/ping

# Prints the command, quoted so it can be pasted, then runs it.
step() {
  local arg line="+"
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./=:,@%+-]+$ ]]; then line+=" $arg"; else line+=" '${arg//\'/\'\\\'\'}'"; fi
  done
  printf '\n%s\n' "$line"
  "$@"
}

cd "$REPO"
bash test/lab/bootstrap.sh
bash test/lab/lab.sh up
source test/lab/env.sh
started=$(date +%s)

WORK=$SKYSHIFT_CACHE/demo/project
rm -rf "$WORK" && mkdir -p "$WORK"
tar -C "$REPO" --exclude=./node_modules --exclude=./.git -cf - . | tar -C "$WORK" -xf -
ln -s "$REPO/node_modules" "$WORK/node_modules"
echo
echo "+ source test/lab/env.sh && cd $WORK   # a copy of the project: the repo's files stay untouched"
cd "$WORK"

# 1. The fleet: three Java apps with the SkyWalking agent in JAVA_TOOL_OPTIONS, CATALINA_OPTS and the java args.
step kubectl apply -f test/lab/demo/fleet.yaml
for app in order billing report; do
  step kubectl rollout status "deployment/$app" -n demo --timeout=120s
done

# 2. Discovery writes what it learned into skyshift.dev.inventory.yaml.
step npm run --silent discover -- --stack dev --namespace demo
step cat skyshift.dev.inventory.yaml

# The platform (collector, Instrumentation) and one AppFlip per discovered app, every app still on SkyWalking, so
# the flip below changes one app only. Every lab:up is a fresh cluster: --refresh lets the kept stack state
# notice and recreate what is gone.
step pulumi stack select --create dev --non-interactive
step pulumi up --yes --refresh --skip-preview --stack dev --non-interactive

# 3. Flip one app: a mode decision in Pulumi.dev.yaml; the preview changes that app only.
step pulumi config set --path "apps[\"$APP\"].mode" otel --stack dev
step pulumi preview --diff --stack dev --non-interactive

# 4. Roll it out: the health gate (migration.soakSeconds in Pulumi.dev.yaml) must pass for the update to succeed.
step pulumi up --yes --skip-preview --stack dev --non-interactive

# 5. The operator injected the new pod: its init container copies the OTel Java agent, JAVA_TOOL_OPTIONS loads it.
step kubectl get pod -n demo -l app=order --field-selector=status.phase=Running -o \
  jsonpath='{range .items[*]}{.metadata.name}{"\n  init containers: "}{.spec.initContainers[*].name}{"\n  JAVA_TOOL_OPTIONS: "}{.spec.containers[0].env[?(@.name=="JAVA_TOOL_OPTIONS")].value}{"\n  OTEL_SERVICE_NAME: "}{.spec.containers[0].env[?(@.name=="OTEL_SERVICE_NAME")].value}{"\n"}{end}'

# 6. kwok runs no containers: the workload runner starts the injected pod and the collector from its CR, sends
#    requests, and the spans land in the lab's Jaeger under the SkyWalking service name.
step npm run --silent lab:run -- "$APP" "$ROUTE"
step npm run --silent lab:traces -- "$SERVICE" 2m

# 7. What every app runs now, as the cluster says.
step npm run --silent status -- --stack dev

# 8. Roll the app back: its original template (the SkyWalking agent in JAVA_TOOL_OPTIONS) is applied again.
step npm run --silent rollback -- --stack dev --app "$APP" --yes
step kubectl get deployment order -n demo -o \
  jsonpath='{"init containers: "}{.spec.template.spec.initContainers[*].name}{"\nJAVA_TOOL_OPTIONS: "}{.spec.template.spec.containers[0].env[?(@.name=="JAVA_TOOL_OPTIONS")].value}{"\n"}'

echo
echo "demo done in $(( $(date +%s) - started ))s (work dir $WORK)"
