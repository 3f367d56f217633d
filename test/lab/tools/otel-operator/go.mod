// Wrapper module: builds the OpenTelemetry Operator at the release whose CRDs the lab applies (see
// test/lab/steps/operator.sh) and records its dependency sums so builds never consult the checksum database.
// The operator's own go.mod points its apis sub-module at ./apis, which the module zip lacks.
module skyshift.local/lab/otel-operator

go 1.26.3

require github.com/open-telemetry/opentelemetry-operator v0.153.0

replace github.com/open-telemetry/opentelemetry-operator/apis v0.0.0-unpublished => github.com/open-telemetry/opentelemetry-operator/apis v0.153.0
