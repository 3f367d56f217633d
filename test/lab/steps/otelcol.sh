#!/usr/bin/env bash
# Lab build step for the OpenTelemetry Collector that runs skyshift's generated config in the lab: exactly
# the receivers (otlp, skywalking), processors (memory_limiter, batch, k8sattributes, resource) and exporters
# (otlp, otlphttp, debug) components/collector-config.ts can name, built from the Go module proxy through the
# hand-written wrapper test/lab/tools/otelcol (what the collector builder would generate).
# Sourced by bootstrap.sh after lib.sh and steps/k8s.sh.
set -euo pipefail

# The contrib skywalking receiver and pkg/translator/skywalking are served by the proxy only at v0.139.0 and
# v0.140.1 (later zips answer 403); v0.140.1 with core v0.140.0 / pdata v1.46.0 is the line Jaeger v1.76.0
# builds on, so the two builds share module and build caches. The pins live in the wrapper's go.mod.
OTELCOL_CONTRIB_VERSION=v0.140.1
OTELCOL_BIN=otelcol-skyshift
# Two contrib modules have no checksum-database entry: the committed go.sum is the source of their hashes.
OTELCOL_NOSUMDB=github.com/open-telemetry/opentelemetry-collector-contrib

# The stamp key carries the pinned release and a digest of the wrapper's files (go.mod, go.sum, main.go), so
# any change to the wrapper rebuilds.
lab_wrapper_key() {
  echo "$1-$(cat "$LAB_REPO/test/lab/tools/$2"/* | sha256sum | cut -c1-12)"
}

lab_build_otelcol_bin() {
  (cd "$LAB_REPO/test/lab/tools/otelcol" &&
    GONOSUMDB=$OTELCOL_NOSUMDB go build -trimpath -ldflags "-s -w" -o "$LAB_BIN/$OTELCOL_BIN" . &&
    "$LAB_BIN/$OTELCOL_BIN" components)
}

lab_build_otelcol() {
  lab_forget_if_missing otelcol "$OTELCOL_BIN"
  lab_step otelcol "$(lab_wrapper_key "$OTELCOL_CONTRIB_VERSION" otelcol)" lab_build_otelcol_bin
}
