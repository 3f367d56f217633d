#!/usr/bin/env bash
# Builds every lab tool at its pinned version into $LAB_BIN (~/.cache/skyshift/bin), offline except for
# the Go module proxy. Rerunning is cheap: finished steps are stamped, and an interrupted build resumes
# from the Go module and build caches.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
for step in "$here"/steps/*.sh; do
  source "$step"
done

t0=$(lab_now)
lab_build_etcd
lab_build_kwok
lab_build_k8s
lab_fetch_operator
lab_build_otel_operator
lab_build_sw8
# Telemetry that really flows: the collector and Jaeger the lab runs, the agents and apps the runner starts.
lab_fetch_agents
# Bridge mode: the real SkyWalking Python agent the runner starts from bridge-mode pods.
lab_build_skywalking_python
lab_build_otelcol
lab_build_jaeger
# steps/pulumi.sh is maintained separately and may not exist yet.
if declare -F lab_build_pulumi >/dev/null; then
  lab_build_pulumi
else
  lab_log "pulumi: no lab_build_pulumi step defined, skipped"
fi
lab_log "lab tools ready in $(( $(lab_now) - t0 ))s in $LAB_BIN"
