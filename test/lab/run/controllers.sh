#!/usr/bin/env bash
# Run step: kube-controller-manager (ReplicaSets, ServiceAccounts, node lifecycle...) and kube-scheduler.
# Started before kwok and awaited after it, so their startups overlap with kwok's.
# Sourced by lab.sh after run/apiserver.sh.
set -euo pipefail

lab_start_controllers() {
  local kube_auth=(--kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE"
    --authorization-kubeconfig "$KUBECONFIG_FILE" --bind-address 127.0.0.1 --leader-elect=false)
  # Cloud controllers would wait forever for a cloud provider; node IPAM is moot without a pod network.
  start kube-controller-manager "${kube_auth[@]}" --secure-port "$LAB_KCM_PORT" \
    --controllers '*,-cloud-node-lifecycle-controller,-service-lb-controller,-node-route-controller,-node-ipam-controller' \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key"
  start kube-scheduler "${kube_auth[@]}" --secure-port "$LAB_SCHEDULER_PORT"
}

lab_await_controllers() {
  # Pods are refused in a namespace until its default ServiceAccount exists (kube-controller-manager makes it).
  wait_until kube-controller-manager "the default ServiceAccount" kube get serviceaccount default -n default
  wait_until kube-scheduler "kube-scheduler /readyz" curl -fsSk --max-time 5 "https://127.0.0.1:$LAB_SCHEDULER_PORT/readyz"
}
