// Lab tool: prints test vectors for the sw8 propagator from the collector's own skywalking translator.
// The translator is pinned to the contrib release the lab's collector is built from (v0.140.1; the proxy
// serves only v0.139.0 and v0.140.1 of it). go.sum is committed: the checksum database lacks some entries.
module skyshift.local/lab/tools/sw8-vectors

go 1.26.6

require (
	github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/skywalking v0.140.1
	skywalking.apache.org/repo/goapi v0.0.0-20240104145220-ba7202308dd4
)

require google.golang.org/genproto/googleapis/rpc v0.0.0-20250804133106-a7a43d27e69b // indirect

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/hashicorp/go-version v1.7.0 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.3-0.20250322232337-35a7c28c31ee // indirect
	go.opentelemetry.io/collector/featuregate v1.46.0 // indirect
	go.opentelemetry.io/collector/pdata v1.46.0 // indirect
	go.opentelemetry.io/otel v1.38.0 // indirect
	go.opentelemetry.io/otel/trace v1.38.0 // indirect
	go.uber.org/multierr v1.11.0 // indirect
	golang.org/x/net v0.42.0 // indirect
	golang.org/x/sys v0.34.0 // indirect
	golang.org/x/text v0.27.0 // indirect
	google.golang.org/grpc v1.76.0 // indirect
	google.golang.org/protobuf v1.36.10 // indirect
)
