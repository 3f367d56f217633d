#!/usr/bin/env bash
# Lab build step for Jaeger v2 (module github.com/jaegertracing/jaeger v1.76.0 = Jaeger 2.13, cmd/jaeger), the
# lab's tracing backend, built from the Go module proxy through the wrapper test/lab/tools/jaeger. It builds
# on collector core v0.140.0 / contrib v0.140.1, the same line as steps/otelcol.sh, so they share caches.
# Sourced by bootstrap.sh after lib.sh, steps/k8s.sh and steps/otelcol.sh.
set -euo pipefail

JAEGER_VERSION=v1.76.0

lab_build_jaeger_bin() {
  local date
  date=$(lab_module_time github.com/jaegertracing/jaeger "$JAEGER_VERSION") && [[ -n $date ]] || return 1
  # upstream's Makefile stamps internal/version the same way; `jaeger version` then names the release.
  (cd "$LAB_REPO/test/lab/tools/jaeger" &&
    go mod edit -require "github.com/jaegertracing/jaeger@$JAEGER_VERSION" &&
    go build -trimpath -o "$LAB_BIN/jaeger" \
      -ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$JAEGER_VERSION -X github.com/jaegertracing/jaeger/internal/version.date=$date" \
      github.com/jaegertracing/jaeger/cmd/jaeger)
}

lab_build_jaeger() {
  lab_forget_if_missing jaeger jaeger
  lab_step jaeger "$(lab_wrapper_key "$JAEGER_VERSION" jaeger)" lab_build_jaeger_bin
}
