#!/usr/bin/env bash
# Run step: etcd, the API server's store. Each 'up' starts from an empty data directory.
# Sourced by lab.sh after run/processes.sh.
set -euo pipefail

LAB_ETCD_URL=http://127.0.0.1:$LAB_ETCD_PORT

lab_start_etcd() {
  local peer_url=http://127.0.0.1:$LAB_ETCD_PEER_PORT
  # Each 'up' is a fresh cluster: tests must not inherit objects from a previous run.
  rm -rf "$ETCD_DATA"
  # No fsync: the data is thrown away at 'down', and fsync dominates etcd latency on a shared CI disk.
  start etcd --name lab --data-dir "$ETCD_DATA" --unsafe-no-fsync \
    --listen-client-urls "$LAB_ETCD_URL" --advertise-client-urls "$LAB_ETCD_URL" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "lab=$peer_url" --log-level warn
  wait_until etcd "etcd health" curl -fsS --max-time 5 "$LAB_ETCD_URL/health"
}
