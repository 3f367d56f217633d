#!/usr/bin/env bash
# The local lab, on one machine with no container runtime. bootstrap.sh (npm run lab:tools) builds, from the
# Go module proxy into $LAB_BIN: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok,
# the OpenTelemetry Operator, the Pulumi engine (the CLI, the project's own Node.js language host in
# test/lab/tools/pulumi/langhost, and the Kubernetes resource provider), an OpenTelemetry Collector and Jaeger.
# This script runs the cluster part on 127.0.0.1: etcd, kube-apiserver, the controller manager and scheduler,
# kwok simulating the nodes, the operator's CRDs, the operator with its admission webhooks, and Jaeger as the
# tracing backend. Each run step is a file in run/; this file only orders them. Usage: lab.sh up|down|status|crds|pki
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
# Settings first: the other run steps read the ports and paths when sourced.
source "$here/run/settings.sh"
for step in "$here"/run/*.sh; do
  [[ $step == */settings.sh ]] || source "$step"
done

cmd_up() {
  local name up=0
  for name in "${COMPONENTS[@]}"; do
    [[ -x $LAB_BIN/$name ]] || { lab_log "missing $LAB_BIN/$name: run 'npm run lab:tools' first"; exit 1; }
    is_up "$name" && up=$((up + 1))
  done
  operator_module_dir >/dev/null
  if (( up == ${#COMPONENTS[@]} )); then
    lab_log "lab already up (kubeconfig $KUBECONFIG_FILE)"
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
    return 0
  fi
  if (( up > 0 )); then
    lab_log "lab partly up ($up of ${#COMPONENTS[@]} components): stopping it to start clean"
    cmd_down
  fi

  check_ports_free
  local t0; t0=$(lab_now)
  make_pki
  write_kubeconfig
  render_kwok_config
  lab_start_etcd
  lab_start_apiserver
  lab_start_controllers
  lab_start_kwok
  lab_await_controllers
  # The operator exits at startup without its OpenTelemetryCollector CRD.
  apply_crds >/dev/null || fail_component "the operator's CRDs not applied or not Established in 60s" kube-apiserver
  lab_start_operator
  lab_start_jaeger

  lab_log "lab up in $(( $(lab_now) - t0 ))s: $LAB_NODES kwok nodes, pods Ready after $LAB_POD_READY_DELAY, operator webhooks on 127.0.0.1:$LAB_OPERATOR_WEBHOOK_PORT"
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
}

cmd_down() {
  stop_all
  rm -rf "$ETCD_DATA"
  lab_log "lab down"
}

cmd_status() {
  local name
  for name in "${COMPONENTS[@]}"; do
    if is_up "$name"; then
      printf '%-24s up    pid %s\n' "$name" "$(pid_of "$name")"
    else
      printf '%-24s down\n' "$name"
    fi
  done
  if is_up kube-apiserver; then
    echo
    kube get nodes -o wide || lab_log "kube-apiserver runs but does not answer: see $LAB_RUN/kube-apiserver.log"
    echo
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
  fi
}

cmd_crds() {
  is_up kube-apiserver || { lab_log "lab is not up: run 'npm run lab:up' first"; exit 1; }
  # 'up' applies them already; this re-applies them (e.g. after a test deleted one).
  apply_crds
  lab_log "the operator's CRDs are Established"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  crds) cmd_crds ;;
  # The lab CA alone (made by 'up' too): the image registry's TLS certificate is signed by it.
  pki) make_pki ;;
  *) echo "usage: $0 up|down|status|crds|pki" >&2; exit 2 ;;
esac
