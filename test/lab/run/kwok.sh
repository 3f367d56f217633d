#!/usr/bin/env bash
# Run step: kwok, which plays the kubelet of LAB_NODES simulated nodes (pods become Running+Ready after
# LAB_POD_READY_DELAY; test/lab/kwok/stages.yaml holds the stages). Sourced by lab.sh after run/apiserver.sh.
set -euo pipefail

# "500ms", "1s", "2m" or a bare number of seconds -> milliseconds, for the kwok stage delays.
to_ms() {
  [[ $1 =~ ^([0-9]+)(ms|s|m)?$ ]] || { lab_log "cannot read duration '$1' (use e.g. 500ms, 1s, 2m)"; return 1; }
  local n=$(( 10#${BASH_REMATCH[1]} ))
  case ${BASH_REMATCH[2]} in
    ms) echo "$n" ;;
    m) echo $(( n * 60000 )) ;;
    *) echo $(( n * 1000 )) ;;
  esac
}

render_kwok_config() {
  local ready backoff
  ready=$(to_ms "$LAB_POD_READY_DELAY")
  backoff=$(to_ms "$LAB_POD_CRASH_BACKOFF")
  sed -e "s/@POD_READY_DELAY_MS@/$ready/" -e "s/@POD_CRASH_BACKOFF_MS@/$backoff/" \
    "$LAB_REPO/test/lab/kwok/stages.yaml" >"$LAB_RUN/kwok.yaml"
}

create_nodes() {
  local i
  for i in $(seq "$LAB_NODES"); do
    cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: lab-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: lab-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  addresses:
  - {type: InternalIP, address: 10.88.0.$i}
  - {type: Hostname, address: lab-node-$i}
NODE
  done | kube apply -f - >/dev/null
}

lab_start_kwok() {
  # Node Leases are kwok's heartbeat: without them the node lifecycle controller marks the nodes
  # NotReady after its grace period and evicts every pod. kwok's default pod address pool is a /24,
  # too small for test suites that churn many pods.
  start kwok --kubeconfig "$KUBECONFIG_FILE" --config "$LAB_RUN/kwok.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds 40 --cidr 10.244.0.1/16
  create_nodes
  wait_until kwok "$LAB_NODES Ready nodes" kube wait --for=condition=Ready node --all --timeout=1s
}
