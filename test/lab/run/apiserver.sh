#!/usr/bin/env bash
# Run step: kube-apiserver on 127.0.0.1 over etcd, with client-certificate auth and RBAC; plus the two ways
# the other steps talk to it (api_get for raw paths, kube for kubectl with the admin kubeconfig).
# Sourced by lab.sh after run/etcd.sh.
set -euo pipefail

api_get() {
  curl -fsS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$LAB_APISERVER_PORT$1"
}

kube() { "$LAB_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --request-timeout 30s "$@"; }

lab_start_apiserver() {
  # The endpoint reconciler is off because Endpoints may not hold a loopback address.
  start kube-apiserver --etcd-servers "$LAB_ETCD_URL" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$LAB_APISERVER_PORT" \
    --endpoint-reconciler-type none \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged --profiling=false
  local t_api; t_api=$(lab_now)
  wait_until kube-apiserver "kube-apiserver /readyz" api_get /readyz
  lab_log "kube-apiserver ready in $(( $(lab_now) - t_api ))s"
}
