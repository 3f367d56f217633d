//go:build tools

// Keeps cmd/jaeger's dependencies in go.mod/go.sum so `go mod tidy` records everything the build needs.
package tools

import _ "github.com/jaegertracing/jaeger/cmd/jaeger"
