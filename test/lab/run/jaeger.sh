#!/usr/bin/env bash
# Run step: the lab's tracing backend, Jaeger v2 (built by steps/jaeger.sh) with an in-memory store, every
# listener on 127.0.0.1. The collector is started separately, from the OpenTelemetryCollector the program
# created (test/lab/runner/collector.ts), because its config exists only after `pulumi up`.
# Sourced by lab.sh after run/settings.sh (it adds its process and ports to COMPONENTS and LAB_PORTS).
set -euo pipefail

LAB_JAEGER_QUERY_PORT=${LAB_JAEGER_QUERY_PORT:-16686}
LAB_JAEGER_QUERY_GRPC_PORT=${LAB_JAEGER_QUERY_GRPC_PORT:-16685}
LAB_JAEGER_OTLP_GRPC_PORT=${LAB_JAEGER_OTLP_GRPC_PORT:-14317}
LAB_JAEGER_OTLP_HTTP_PORT=${LAB_JAEGER_OTLP_HTTP_PORT:-14318}
LAB_JAEGER_HEALTH_PORT=${LAB_JAEGER_HEALTH_PORT:-13133}
COMPONENTS+=(jaeger)
LAB_PORTS+=("$LAB_JAEGER_QUERY_PORT" "$LAB_JAEGER_QUERY_GRPC_PORT" "$LAB_JAEGER_OTLP_GRPC_PORT"
  "$LAB_JAEGER_OTLP_HTTP_PORT" "$LAB_JAEGER_HEALTH_PORT")

# Jaeger's own all-in-one config (cmd/jaeger/internal/all-in-one.yaml) trimmed to what the lab uses: OTLP in,
# memory store, query API/UI. Without an address its query listener binds every interface, and its own
# metrics would take the collector's port 8888, so both are set here.
render_jaeger_config() {
  cat >"$LAB_RUN/jaeger.yaml" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:$LAB_JAEGER_HEALTH_PORT
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:$LAB_JAEGER_QUERY_PORT
    grpc:
      endpoint: 127.0.0.1:$LAB_JAEGER_QUERY_GRPC_PORT
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$LAB_JAEGER_OTLP_GRPC_PORT
      http:
        endpoint: 127.0.0.1:$LAB_JAEGER_OTLP_HTTP_PORT
processors:
  batch: {}
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
  # Read by the runner and the e2e (test/lab/runner/lab-telemetry.ts): the one place these addresses live.
  printf 'JAEGER_QUERY_URL=http://127.0.0.1:%s\nJAEGER_OTLP_GRPC=127.0.0.1:%s\n' \
    "$LAB_JAEGER_QUERY_PORT" "$LAB_JAEGER_OTLP_GRPC_PORT" >"$LAB_RUN/jaeger.env"
}

lab_start_jaeger() {
  local t; t=$(lab_now)
  render_jaeger_config
  start jaeger --config "$LAB_RUN/jaeger.yaml"
  wait_until jaeger "Jaeger's query API" curl -fsS --max-time 5 "http://127.0.0.1:$LAB_JAEGER_QUERY_PORT/api/services"
  lab_log "jaeger ready in $(( $(lab_now) - t ))s: query http://127.0.0.1:$LAB_JAEGER_QUERY_PORT, OTLP gRPC 127.0.0.1:$LAB_JAEGER_OTLP_GRPC_PORT"
}
