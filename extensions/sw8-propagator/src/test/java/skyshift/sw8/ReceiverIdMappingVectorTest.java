package skyshift.sw8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The Java port of the receiver's ID mapping against the receiver's own translator, vector by vector. */
class ReceiverIdMappingVectorTest {
  private static final ReceiverVectors VECTORS = ReceiverVectors.load();
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  @Test
  void theVectorsCoverEveryIdShapeTheGeneratorKnows() {
    Set<String> kinds = new TreeSet<>();
    VECTORS.segments.forEach(v -> kinds.add(v.path("kind").asText()));
    assertEquals(26, kinds.size(), "kinds in the vectors from " + VECTORS.translator + ": " + kinds);
    assertTrue(VECTORS.inject.size() >= 200, "inject vectors: " + VECTORS.inject.size());
    assertTrue(VECTORS.translator.endsWith("pkg/translator/skywalking@v0.140.1"), VECTORS.translator);
  }

  @TestFactory
  Stream<DynamicTest> traceAndSpanIdsMatchTheTranslator() {
    return VECTORS.segments.stream().map(v -> DynamicTest.dynamicTest(describe(v), () -> {
      String traceId = Hex.lowercase(ReceiverIdMapping.traceId(bytes(v, "traceId")));
      String exit = span(v, "segmentId", v.path("spanId").asInt());
      String entry = span(v, "segmentId", 0);
      String parent = span(v, "parentSegmentId", v.path("parentSpanId").asInt());
      if (v.path("panics").asBoolean()) {
        // The translator assigns nothing; the port must not invent an ID for the ID that made it panic.
        boolean traceShape = v.path("kind").asText().startsWith("trace:");
        assertEquals(traceShape ? ZERO_TRACE : ZERO_SPAN, traceShape ? traceId : parent);
        return;
      }
      assertEquals(v.path("otelTraceId").asText(), traceId, "trace ID");
      assertEquals(v.path("otelExitSpanId").asText(), exit, "exit span ID (segment + span number)");
      assertEquals(v.path("otelEntrySpanId").asText(), entry, "entry span ID (span 0)");
      assertEquals(v.path("otelExitParentSpanId").asText(), entry, "exit span's parent: span 0 of its segment");
      assertEquals(v.path("otelEntryParentSpanId").asText(), parent, "entry span's parent: the ref's exit span");
    }));
  }

  static String describe(JsonNode v) {
    return v.path("kind").asText() + " " + v.path("traceId").asText() + " / " + v.path("parentSegmentId").asText()
        + " #" + v.path("parentSpanId").asInt();
  }

  static byte[] bytes(JsonNode v, String field) {
    return v.path(field).asText().getBytes(StandardCharsets.UTF_8);
  }

  private static String span(JsonNode v, String segmentField, int spanNumber) {
    return Hex.lowercase(ReceiverIdMapping.spanId(bytes(v, segmentField), spanNumber));
  }
}
