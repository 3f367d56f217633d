package skyshift.sw8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static skyshift.sw8.TestCarriers.contextWith;
import static skyshift.sw8.TestCarriers.extractSw8;
import static skyshift.sw8.TestCarriers.inject;
import static skyshift.sw8.TestCarriers.sw8;
import static skyshift.sw8.TestCarriers.unb64;

import io.opentelemetry.api.trace.SpanContext;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The propagator end to end (header in, header out) against the receiver's own translator. */
class Sw8PropagatorVectorTest {
  private static final ReceiverVectors VECTORS = ReceiverVectors.load();

  /**
   * A downstream OTel service's parent is the caller's exit span as the receiver names it: the translator's
   * parent for the entry span that holds the same ref. Where the receiver assigns no valid ID (all zeros, or a
   * panic), extraction yields no parent. Negative span numbers are left to the mapping test: agents never
   * send them and the header parser refuses them.
   */
  @TestFactory
  Stream<DynamicTest> extractGivesTheReceiversParentIds() {
    return VECTORS.segments.stream().filter(v -> v.path("parentSpanId").asInt() >= 0)
        .map(v -> DynamicTest.dynamicTest(ReceiverIdMappingVectorTest.describe(v), () -> {
          SpanContext parent = extractSw8(sw8("1", v.path("traceId").asText(), v.path("parentSegmentId").asText(),
              Integer.toString(v.path("parentSpanId").asInt())));
          String traceId = v.path("otelTraceId").asText();
          String spanId = v.path("otelEntryParentSpanId").asText();
          if (v.path("panics").asBoolean() || traceId.matches("0+") || spanId.matches("0+")) {
            assertFalse(parent.isValid(), "no parent expected, got " + parent);
            return;
          }
          assertTrue(parent.isRemote() && parent.isSampled(), parent.toString());
          assertEquals(traceId, parent.getTraceId(), "trace ID");
          assertEquals(spanId, parent.getSpanId(), "parent span ID");
        }));
  }

  /**
   * Inject writes exactly the fields the vectors' encoding wrote, and the translator mapped a downstream
   * SkyWalking segment referencing those fields back to the OTel span it came from.
   */
  @TestFactory
  Stream<DynamicTest> injectedHeadersMapBackToTheOtelSpan() {
    return VECTORS.inject.stream().map(v -> DynamicTest.dynamicTest(
        v.path("otelTraceId").asText() + "/" + v.path("otelSpanId").asText(), () -> {
          String traceId = v.path("otelTraceId").asText();
          String spanId = v.path("otelSpanId").asText();
          String[] fields = inject(contextWith(traceId, spanId, true)).get("sw8").split("-", -1);
          assertEquals(v.path("sw8TraceId").asText(), unb64(fields[1]), "trace ID field");
          assertEquals(v.path("sw8SegmentId").asText(), unb64(fields[2]), "parent segment ID field");
          assertEquals(Integer.toString(v.path("sw8SpanId").asInt()), fields[3], "parent span number field");
          assertEquals(traceId, v.path("receiverTraceId").asText(), "receiver's trace ID for the downstream segment");
          assertEquals(spanId, v.path("receiverParentSpanId").asText(), "receiver's parent of the downstream entry");
          assertEquals(spanId, v.path("receiverRefLinkedSpanId").asText(), "receiver's link to the caller");
        }));
  }
}
