#!/usr/bin/env bash
# Lab build step for the OpenTelemetry Operator binary, at the same release as the CRDs the lab applies
# (OTEL_OPERATOR_VERSION in steps/k8s.sh), built from the Go module proxy through the wrapper module
# test/lab/tools/otel-operator. lab.sh runs it against the lab with its admission webhooks on 127.0.0.1, so
# pods annotated for injection really get the operator's init container and env.
# Sourced by bootstrap.sh after lib.sh and steps/k8s.sh.
set -euo pipefail

OTEL_OPERATOR_BIN_DIR=$LAB_REPO/test/lab/tools/otel-operator
OTEL_OPERATOR_MODULE=github.com/open-telemetry/opentelemetry-operator

# Since v0.153.0 the operator's go.mod points its `apis` sub-module at ./apis
# (`.../apis v0.0.0-unpublished => ./apis`), which the module zip does not carry: the wrapper replaces it
# with the published `.../apis` module of the same release. upstream's Makefile stamps the operator and the
# default images (collector, auto-instrumentation per language) from versions.txt; unstamped, a defaulted
# Instrumentation would name images tagged 0.0.0.
lab_build_otel_operator_bin() {
  local dir date ldflags pkg=$OTEL_OPERATOR_MODULE/internal/version key value var
  dir=$(cat "$SKYSHIFT_CACHE/operator-module-dir") && [[ -f $dir/versions.txt ]] ||
    { echo "no versions.txt in the operator module '$dir' (operator-module step)" >&2; return 1; }
  date=$(GONOSUMDB=$OTEL_OPERATOR_MODULE lab_module_time "$OTEL_OPERATOR_MODULE" "$OTEL_OPERATOR_VERSION") &&
    [[ -n $date ]] || { echo "no release time for $OTEL_OPERATOR_MODULE@$OTEL_OPERATOR_VERSION" >&2; return 1; }
  ldflags="-s -w -X $pkg.version=${OTEL_OPERATOR_VERSION#v} -X $pkg.buildDate=$date"
  while IFS== read -r key value; do
    case $key in
      opentelemetry-collector) var=otelCol ;;
      targetallocator) var=targetAllocator ;;
      operator-opamp-bridge) var=operatorOpAMPBridge ;;
      autoinstrumentation-java) var=autoInstrumentationJava ;;
      autoinstrumentation-nodejs) var=autoInstrumentationNodeJS ;;
      autoinstrumentation-python) var=autoInstrumentationPython ;;
      autoinstrumentation-dotnet) var=autoInstrumentationDotNet ;;
      autoinstrumentation-go) var=autoInstrumentationGo ;;
      autoinstrumentation-apache-httpd) var=autoInstrumentationApacheHttpd ;;
      autoinstrumentation-nginx) var=autoInstrumentationNginx ;;
      *) continue ;;
    esac
    ldflags+=" -X $pkg.$var=$value"
  done < <(grep -E '^[a-z-]+=' "$dir/versions.txt")
  # The wrapper's go.mod follows the pin (a no-op when it already agrees); its committed go.sum holds the
  # hashes, since the proxy's checksum database has no entry for this release.
  (cd "$OTEL_OPERATOR_BIN_DIR" &&
    go mod edit -require "$OTEL_OPERATOR_MODULE@$OTEL_OPERATOR_VERSION" \
      -replace "$OTEL_OPERATOR_MODULE/apis@v0.0.0-unpublished=$OTEL_OPERATOR_MODULE/apis@$OTEL_OPERATOR_VERSION" &&
    GONOSUMDB=$OTEL_OPERATOR_MODULE go build -trimpath -ldflags "$ldflags" -o "$LAB_BIN/otel-operator" "$OTEL_OPERATOR_MODULE")
}

lab_build_otel_operator() {
  lab_forget_if_missing otel-operator otel-operator
  lab_step otel-operator "$OTEL_OPERATOR_VERSION" lab_build_otel_operator_bin
}
