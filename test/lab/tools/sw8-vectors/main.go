// Command sw8-vectors prints test vectors for skyshift's sw8 propagator (extensions/sw8-propagator) computed
// by the OpenTelemetry Collector contrib `skywalking` receiver's own translator
// (github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/skywalking, ProtoToTraces): for
// generated SkyWalking IDs it builds SegmentObjects, translates them and records the OpenTelemetry trace,
// span and parent span IDs the receiver assigns. The Java tests compare the propagator against this output,
// so the port cannot drift from the receiver unnoticed. IDs come from a fixed seed: same binary, same output.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/debug"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/skywalking"
	agentV3 "skywalking.apache.org/repo/goapi/collect/language/agent/v3"
)

const seed = 20261202

const translatorPath = "github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/skywalking"

// translatorModule names the translator version this binary was built with (from its build info, so it follows
// go.mod); the Java tests check it and print it in their failures.
func translatorModule() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == translatorPath {
				return dep.Path + "@" + dep.Version
			}
		}
	}
	return translatorPath + "@unknown"
}

// segmentVector is one translated segment: a SkyWalking entry span (span 0, parent -1) with one
// cross-process ref to the caller's exit span, and an exit span `spanId` whose parent is the entry span.
type segmentVector struct {
	Kind            string `json:"kind"`
	TraceID         string `json:"traceId"`
	SegmentID       string `json:"segmentId"`
	SpanID          int32  `json:"spanId"`
	ParentSegmentID string `json:"parentSegmentId"`
	ParentSpanID    int32  `json:"parentSpanId"`
	// Panics is true when ProtoToTraces panicked on this input; the OTel fields are then empty.
	Panics                bool   `json:"panics"`
	OtelTraceID           string `json:"otelTraceId"`
	OtelEntrySpanID       string `json:"otelEntrySpanId"`
	OtelEntryParentSpanID string `json:"otelEntryParentSpanId"`
	OtelExitSpanID        string `json:"otelExitSpanId"`
	OtelExitParentSpanID  string `json:"otelExitParentSpanId"`
}

// injectVector is the other direction: OTel IDs, the sw8 fields the propagator's documented encoding writes
// for them, and what the receiver makes of a downstream SkyWalking segment that references those fields.
type injectVector struct {
	OtelTraceID             string `json:"otelTraceId"`
	OtelSpanID              string `json:"otelSpanId"`
	Sw8TraceID              string `json:"sw8TraceId"`
	Sw8SegmentID            string `json:"sw8SegmentId"`
	Sw8SpanID               int32  `json:"sw8SpanId"`
	ReceiverTraceID         string `json:"receiverTraceId"`
	ReceiverParentSpanID    string `json:"receiverParentSpanId"`
	ReceiverRefLinkedSpanID string `json:"receiverRefLinkedSpanId"`
}

type vectorFile struct {
	Translator string          `json:"translator"`
	Seed       uint64          `json:"seed"`
	Segments   []segmentVector `json:"segments"`
	Inject     []injectVector  `json:"inject"`
}

func main() {
	gen := idGenerator{rand.New(rand.NewPCG(seed, seed))}
	out := vectorFile{Translator: translatorModule(), Seed: seed}
	for _, c := range gen.segmentCases() {
		out.Segments = append(out.Segments, translateSegment(c))
	}
	for range 200 {
		out.Inject = append(out.Inject, translateInjected(gen.bytes(16), gen.nonZeroBytes(8)))
	}
	// The extreme IDs: all-ones and the smallest valid ones.
	out.Inject = append(out.Inject,
		translateInjected(repeat(0xff, 16), repeat(0xff, 8)),
		translateInjected(append(repeat(0, 15), 1), append(repeat(0, 7), 1)))
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "sw8-vectors:", err)
		os.Exit(1)
	}
}

func translateSegment(c segmentVector) (v segmentVector) {
	v = c
	defer func() {
		if recover() != nil {
			v = c
			v.Panics = true
		}
	}()
	spans := skywalking.ProtoToTraces(&agentV3.SegmentObject{
		TraceId: c.TraceID, TraceSegmentId: c.SegmentID, Service: "caller", ServiceInstance: "caller-1",
		Spans: []*agentV3.SpanObject{
			{SpanId: 0, ParentSpanId: -1, SpanType: agentV3.SpanType_Entry, OperationName: "GET /",
				Refs: []*agentV3.SegmentReference{{
					RefType: agentV3.RefType_CrossProcess, TraceId: c.TraceID,
					ParentTraceSegmentId: c.ParentSegmentID, ParentSpanId: c.ParentSpanID,
					ParentService: "upstream", ParentServiceInstance: "upstream-1", ParentEndpoint: "GET /up",
					NetworkAddressUsedAtPeer: "svc:8080",
				}}},
			{SpanId: c.SpanID, ParentSpanId: 0, SpanType: agentV3.SpanType_Exit, OperationName: "GET /down"},
		},
	}).ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	entry, exit := spans.At(0), spans.At(1)
	traceID, entryID, entryParent := entry.TraceID(), entry.SpanID(), entry.ParentSpanID()
	exitID, exitParent := exit.SpanID(), exit.ParentSpanID()
	v.OtelTraceID = hex.EncodeToString(traceID[:])
	v.OtelEntrySpanID = hex.EncodeToString(entryID[:])
	v.OtelEntryParentSpanID = hex.EncodeToString(entryParent[:])
	v.OtelExitSpanID = hex.EncodeToString(exitID[:])
	v.OtelExitParentSpanID = hex.EncodeToString(exitParent[:])
	return v
}

// translateInjected encodes OTel IDs the way the propagator's inject does (trace ID as 32 hex; segment ID
// hex(T[0:8]) + hex(T[0:8] XOR S); span number 0, see docs/sw8-propagator.md) and translates the downstream
// SkyWalking segment whose entry span references them.
func translateInjected(traceID, spanID []byte) injectVector {
	pad := make([]byte, 8)
	for i := range pad {
		pad[i] = traceID[i] ^ spanID[i]
	}
	v := injectVector{
		OtelTraceID:  hex.EncodeToString(traceID),
		OtelSpanID:   hex.EncodeToString(spanID),
		Sw8TraceID:   hex.EncodeToString(traceID),
		Sw8SegmentID: hex.EncodeToString(traceID[:8]) + hex.EncodeToString(pad),
		Sw8SpanID:    0,
	}
	entry := skywalking.ProtoToTraces(&agentV3.SegmentObject{
		TraceId: v.Sw8TraceID, TraceSegmentId: "0123456789abcdef0123456789abcdef", Service: "downstream",
		Spans: []*agentV3.SpanObject{{SpanId: 0, ParentSpanId: -1, SpanType: agentV3.SpanType_Entry,
			Refs: []*agentV3.SegmentReference{{RefType: agentV3.RefType_CrossProcess, TraceId: v.Sw8TraceID,
				ParentTraceSegmentId: v.Sw8SegmentID, ParentSpanId: v.Sw8SpanID}}}},
	}).ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	t, p, l := entry.TraceID(), entry.ParentSpanID(), entry.Links().At(0).SpanID()
	v.ReceiverTraceID = hex.EncodeToString(t[:])
	v.ReceiverParentSpanID = hex.EncodeToString(p[:])
	v.ReceiverRefLinkedSpanID = hex.EncodeToString(l[:])
	return v
}

func repeat(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}
