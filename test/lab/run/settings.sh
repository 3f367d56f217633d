#!/usr/bin/env bash
# The lab's run-time settings: ports, sizes, timeouts (each overridable from the environment; docs/lab.md
# lists them), the files it keeps in $LAB_RUN, and the processes it runs. Sourced by lab.sh after lib.sh.
set -euo pipefail

# Ports sit away from the defaults (2379, 6443, 10257, 10259) so a real cluster on the machine keeps working.
LAB_ETCD_PORT=${LAB_ETCD_PORT:-23790}
LAB_ETCD_PEER_PORT=${LAB_ETCD_PEER_PORT:-23800}
LAB_APISERVER_PORT=${LAB_APISERVER_PORT:-16443}
LAB_KCM_PORT=${LAB_KCM_PORT:-16257}
LAB_SCHEDULER_PORT=${LAB_SCHEDULER_PORT:-16259}
LAB_NODES=${LAB_NODES:-3}
LAB_POD_READY_DELAY=${LAB_POD_READY_DELAY:-1s}
LAB_POD_CRASH_BACKOFF=${LAB_POD_CRASH_BACKOFF:-5s}
LAB_START_TIMEOUT=${LAB_START_TIMEOUT:-120}
LAB_OPERATOR_WEBHOOK_PORT=${LAB_OPERATOR_WEBHOOK_PORT:-16943}
LAB_OPERATOR_PROBE_PORT=${LAB_OPERATOR_PROBE_PORT:-16981}
# Every port above that a process binds: `up` checks that all are free before it starts anything.
LAB_PORTS=("$LAB_ETCD_PORT" "$LAB_ETCD_PEER_PORT" "$LAB_APISERVER_PORT" "$LAB_KCM_PORT" "$LAB_SCHEDULER_PORT"
  "$LAB_OPERATOR_WEBHOOK_PORT" "$LAB_OPERATOR_PROBE_PORT")

PKI=$LAB_RUN/pki
KUBECONFIG_FILE=$LAB_RUN/kubeconfig
ETCD_DATA=$LAB_RUN/etcd-data
# The processes the lab runs, each a binary in $LAB_BIN tracked by $LAB_RUN/<name>.pid.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok otel-operator)
