package main

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
)

// idGenerator makes SkyWalking trace and segment IDs in the shapes agents send, plus malformed ones.
// Shapes of real agents: the Java agent's GlobalIdGenerator writes `<uuid without dashes>.<thread id>.
// <millis*10000 + seq>` (apache/skywalking-java, apm-agent-core .../context/ids/GlobalIdGenerator.java);
// the Python agent writes a bare 32-hex uuid (apache/skywalking-python, skywalking/utils/counter.py and
// trace/context.py); browser/Envoy/nginx-lua send dashed uuids (the translator's own comment).
type idGenerator struct{ rng *rand.Rand }

type idShape struct {
	name string
	make func(g idGenerator) string
}

var traceShapes = []idShape{
	{"python-agent-hex32", func(g idGenerator) string { return g.hex32() }},
	{"dashed-uuid", func(g idGenerator) string { return g.dashedUUID() }},
	{"uppercase-hex32", func(g idGenerator) string { return strings.ToUpper(g.hex32()) }},
	{"java-agent", func(g idGenerator) string { return g.javaAgentID() }},
	{"wide-numbers", func(g idGenerator) string { return g.hex32() + "." + g.wide() + "." + g.wide() }},
	{"signed-and-zero-padded", func(g idGenerator) string { return g.hex32() + ".+0007.-000000000000000000042" }},
	{"short-not-uuid", func(g idGenerator) string { return g.hex32()[:g.rng.IntN(31)+1] }},
	{"33-to-36-not-uuid", func(g idGenerator) string { return g.hex32() + g.hex32()[:g.rng.IntN(4)+1] }},
	{"bad-hex-long", func(g idGenerator) string { return g.corruptHex(g.hex32()) + ".1.16563474296430001" }},
	{"three-dots", func(g idGenerator) string { return g.hex32() + ".1.2.3" }},
	{"not-a-number", func(g idGenerator) string { return g.hex32() + ".x1.2" }},
	{"int64-overflow", func(g idGenerator) string { return g.hex32() + ".1.99999999999999999999" }},
	{"non-ascii-digits", func(g idGenerator) string { return g.hex32() + ".\u0661\u0662.5" }},
	{"first-dot-not-at-32", func(g idGenerator) string { return g.hex32() + "0.1.2" }},
	{"one-dot", func(g idGenerator) string { return g.hex32() + ".12345" }},
}

var segmentShapes = []idShape{
	{"python-agent-hex32", func(g idGenerator) string { return g.hex32() }},
	{"java-agent", func(g idGenerator) string { return g.javaAgentID() }},
	{"uppercase-java-agent", func(g idGenerator) string { return strings.ToUpper(g.javaAgentID()) }},
	{"wide-numbers", func(g idGenerator) string { return g.hex32() + "." + g.wide() + "." + g.wide() }},
	{"short", func(g idGenerator) string { return g.hex32()[:g.rng.IntN(32)] }},
	{"bad-hex-32", func(g idGenerator) string { return g.corruptHex(g.hex32()) }},
	{"bad-hex-long", func(g idGenerator) string { return g.corruptHex(g.hex32()) + ".3.4" }},
	{"dashed-uuid", func(g idGenerator) string { return g.dashedUUID() }},
	{"three-dots", func(g idGenerator) string { return g.hex32() + ".1.2.3" }},
	{"int64-overflow", func(g idGenerator) string { return g.hex32() + ".99999999999999999999.1" }},
	{"one-dot", func(g idGenerator) string { return g.hex32() + ".5" }},
}

const casesPerShape = 24

// segmentCases: every trace ID shape with well-formed segment IDs, then every segment ID shape (used for
// both the segment and its parent) with a Python-agent trace ID; span numbers small (as agents number
// spans) or anywhere in int32 (the translator casts them to uint32).
func (g idGenerator) segmentCases() []segmentVector {
	var cases []segmentVector
	for _, shape := range traceShapes {
		for range casesPerShape {
			seg, parent := segmentShapes[g.rng.IntN(2)], segmentShapes[g.rng.IntN(2)]
			cases = append(cases, g.segmentCase("trace:"+shape.name, shape.make(g), seg.make(g), parent.make(g)))
		}
	}
	for _, shape := range segmentShapes {
		for range casesPerShape {
			cases = append(cases, g.segmentCase("segment:"+shape.name, g.hex32(), shape.make(g), shape.make(g)))
		}
	}
	return cases
}

func (g idGenerator) segmentCase(kind, traceID, segmentID, parentSegmentID string) segmentVector {
	return segmentVector{Kind: kind, TraceID: traceID, SegmentID: segmentID, SpanID: g.spanNumber(),
		ParentSegmentID: parentSegmentID, ParentSpanID: g.spanNumber()}
}

func (g idGenerator) spanNumber() int32 {
	if g.rng.IntN(2) == 0 {
		return g.rng.Int32N(6)
	}
	return int32(g.rng.Uint32())
}

func (g idGenerator) bytes(n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(g.rng.UintN(256))
	}
	return out
}

func (g idGenerator) nonZeroBytes(n int) []byte {
	for {
		if b := g.bytes(n); strings.Trim(string(b), "\x00") != "" {
			return b
		}
	}
}

func (g idGenerator) hex32() string { return hex.EncodeToString(g.bytes(16)) }

func (g idGenerator) dashedUUID() string {
	h := g.hex32()
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (g idGenerator) javaAgentID() string {
	millis := int64(1_600_000_000_000) + g.rng.Int64N(200_000_000_000)
	return fmt.Sprintf("%s.%d.%d", g.hex32(), g.rng.IntN(500)+1, millis*10000+int64(g.rng.IntN(10000)))
}

// wide is any int64 in decimal: the translator keeps the low 32 bits of the middle number.
func (g idGenerator) wide() string { return fmt.Sprint(int64(g.rng.Uint64())) }

// corruptHex puts one non-hex character somewhere: Go's hex.Decode keeps the bytes before it.
func (g idGenerator) corruptHex(h string) string {
	i := g.rng.IntN(len(h))
	return h[:i] + "g" + h[i+1:]
}
