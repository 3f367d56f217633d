#!/usr/bin/env bash
# Run step: the OpenTelemetry Operator's CRDs, read in place from the operator release in the Go module
# cache (recorded by steps/k8s.sh), never copied into the repo. Sourced by lab.sh after run/apiserver.sh.
set -euo pipefail

# The operator's collector controller also watches the TargetAllocators it may own: without that CRD it exits.
CRD_NAMES=(opentelemetrycollectors.opentelemetry.io instrumentations.opentelemetry.io targetallocators.opentelemetry.io)

# The operator release in the module cache: its CRDs, and the webhook manifests of the binary built from it.
operator_module_dir() {
  local dir
  dir=$(cat "$SKYSHIFT_CACHE/operator-module-dir" 2>/dev/null) && [[ -d $dir ]] ||
    { lab_log "no operator module recorded in $SKYSHIFT_CACHE/operator-module-dir: run 'npm run lab:tools' first"; exit 1; }
  echo "$dir"
}

# Applies the collector, Instrumentation and TargetAllocator CRDs and waits (up to 60s) until all are Established.
apply_crds() {
  local dir crd i
  dir=$(operator_module_dir) || return
  for crd in "${CRD_NAMES[@]}"; do
    # Server-side apply: these CRDs are too large for the last-applied annotation of client-side apply.
    kube apply --server-side -f "$dir/config/crd/bases/opentelemetry.io_${crd%%.*}.yaml" || return
  done
  # kubectl wait fails instead of waiting while a new CRD has no conditions yet: poll it.
  for i in $(seq 300); do
    kube wait --for=condition=Established --timeout=1s "${CRD_NAMES[@]/#/crd/}" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  kube wait --for=condition=Established --timeout=1s "${CRD_NAMES[@]/#/crd/}"
}
