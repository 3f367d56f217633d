#!/usr/bin/env bash
# Run step: the OpenTelemetry Operator binary (built by steps/operator.sh) against the lab, with its
# admission webhooks registered on 127.0.0.1 so annotated pods really get injected at creation.
# Sourced by lab.sh after run/crds.sh and run/webhooks.sh.
set -euo pipefail

lab_start_operator() {
  local dir tmp=$LAB_RUN/otel-operator-tmp t_op
  dir=$(operator_module_dir) || fail_component "no operator module" otel-operator
  make_webhook_cert
  # controller-runtime reads the serving pair from $TMPDIR/k8s-webhook-server/serving-certs and has no flag
  # for it, so the operator gets a TMPDIR of its own.
  mkdir -p "$tmp/k8s-webhook-server/serving-certs"
  cp "$PKI/operator-webhook.crt" "$tmp/k8s-webhook-server/serving-certs/tls.crt"
  cp "$PKI/operator-webhook.key" "$tmp/k8s-webhook-server/serving-certs/tls.key"
  t_op=$(lab_now)
  # Metrics off ("0"); no leader election (one replica); no RBAC objects of its own, so a destroyed stack
  # leaves no cluster-scoped leftovers; multi-instrumentation honours the <language>-container-names
  # annotation skyshift writes. The webhook listens on all interfaces (no flag for its host): the
  # configurations name 127.0.0.1.
  (
    export KUBECONFIG=$KUBECONFIG_FILE TMPDIR=$tmp
    start otel-operator --metrics-addr 0 --health-probe-addr "127.0.0.1:$LAB_OPERATOR_PROBE_PORT" \
      --webhook-port "$LAB_OPERATOR_WEBHOOK_PORT" --enable-leader-election=false \
      --create-rbac-permissions=false --enable-multi-instrumentation=true
  )
  wait_until otel-operator "otel-operator /readyz" curl -fsS --max-time 5 "http://127.0.0.1:$LAB_OPERATOR_PROBE_PORT/readyz"
  register_webhooks "$dir"
  lab_log "otel-operator ready with its webhooks in $(( $(lab_now) - t_op ))s"
}
