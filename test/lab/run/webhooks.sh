#!/usr/bin/env bash
# Run step: the operator's admission webhook configurations, registered with kube-apiserver at
# https://127.0.0.1:<port> instead of the in-cluster Service. Sourced by lab.sh after run/crds.sh.
set -euo pipefail

# The operator's webhook configurations, read from its release's config/webhook/manifests.yaml, with
# the in-cluster Service replaced by https://127.0.0.1:<port><path> and the lab CA as caBundle. Webhooks for
# kinds whose CRDs the lab does not install (OpAMPBridge, TargetAllocator) are left out.
render_webhooks() {
  node - "$LAB_REPO/node_modules/yaml" "$1/config/webhook/manifests.yaml" "$LAB_OPERATOR_WEBHOOK_PORT" \
    "$(base64 -w0 <"$PKI/ca.crt")" <<'EOF'
const [yamlModule, file, port, caBundle] = process.argv.slice(2);
const YAML = require(yamlModule);
const fs = require("fs");
const served = new Set(["pods", "instrumentations", "opentelemetrycollectors"]);
const items = YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJSON()).filter(Boolean).map((cfg) => {
  const webhooks = cfg.webhooks
    .filter((w) => w.rules.every((r) => r.resources.every((res) => served.has(res))))
    .map((w) => ({ ...w, clientConfig: { url: `https://127.0.0.1:${port}${w.clientConfig.service.path}`, caBundle } }));
  const kind = cfg.kind === "MutatingWebhookConfiguration" ? "mutation" : "validation";
  return { ...cfg, metadata: { name: `opentelemetry-operator-${kind}` }, webhooks };
});
process.stdout.write(JSON.stringify({ apiVersion: "v1", kind: "List", items }));
EOF
}

# A server-side dry run of an Instrumentation goes through the operator's failurePolicy=Fail webhooks, so
# it succeeds only once kube-apiserver reaches them.
webhook_answers() {
  kube create --dry-run=server -o name -f - <<'EOF'
{"apiVersion": "opentelemetry.io/v1alpha1", "kind": "Instrumentation",
 "metadata": {"name": "lab-webhook-probe", "namespace": "default"}, "spec": {}}
EOF
}

# register_webhooks MODULE-DIR — renders, applies and waits until kube-apiserver reaches the webhooks.
register_webhooks() {
  render_webhooks "$1" >"$LAB_RUN/otel-operator-webhooks.json" 2>"$LAB_RUN/otel-operator-webhooks.log" ||
    fail_component "rendering the webhook configurations from $1/config/webhook/manifests.yaml (npm ci run?)" otel-operator-webhooks
  kube apply -f "$LAB_RUN/otel-operator-webhooks.json" >/dev/null 2>"$LAB_RUN/otel-operator-webhooks.log" ||
    fail_component "registering the operator's webhooks" otel-operator-webhooks
  wait_until otel-operator "the operator's webhooks answering kube-apiserver" webhook_answers
}
