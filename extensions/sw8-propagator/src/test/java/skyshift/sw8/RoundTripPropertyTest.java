package skyshift.sw8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static skyshift.sw8.TestCarriers.GETTER;
import static skyshift.sw8.TestCarriers.PROPAGATOR;
import static skyshift.sw8.TestCarriers.contextWith;
import static skyshift.sw8.TestCarriers.extractSw8;
import static skyshift.sw8.TestCarriers.inject;
import static skyshift.sw8.TestCarriers.unb64;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The round trips, stated exactly. Examples come from a fixed seed (QT_SEED in pom.xml; pass -DQT_SEED=… to
 * explore others); a failure prints the seed that found it.
 * <ul>
 *   <li>OTel → sw8 → OTel is the identity on valid trace ID, span ID and sampled flag.</li>
 *   <li>sw8 → OTel → sw8, for every header the receiver maps to valid IDs, keeps what the receiver sees: the
 *       re-injected header maps to the same OTel IDs and sampled flag, and, inside the process that extracted
 *       it, carries the caller's trace ID string byte for byte. The parent segment ID and span number are not kept: the receiver folds 32 hex digits and up to
 *       three numbers into 8 bytes, and inject writes one of the many segment IDs with the same fold.</li>
 * </ul>
 */
class RoundTripPropertyTest {
  private static final int EXAMPLES = 2000;

  @Test
  void otelToSw8ToOtelIsExact() {
    qt().withExamples(EXAMPLES).forAll(traceIds(), spanIds(), booleans().all()).checkAssert((traceId, spanId, sampled) -> {
      SpanContext back = extractSw8(inject(contextWith(traceId, spanId, sampled)).get("sw8"));
      assertEquals(traceId, back.getTraceId());
      assertEquals(spanId, back.getSpanId());
      assertEquals(sampled, back.isSampled());
      assertTrue(back.isRemote());
    });
  }

  @Test
  void sw8ToOtelToSw8KeepsWhatTheReceiverSees() {
    qt().withExamples(EXAMPLES).forAll(sw8Headers()).assuming(RoundTripPropertyTest::receiverGivesValidIds)
        .checkAssert(header -> {
      Context extracted = PROPAGATOR.extract(Context.root(), Collections.singletonMap("sw8", header), GETTER);
      SpanContext parent = Span.fromContext(extracted).getSpanContext();
      assertTrue(parent.isValid(), header);

      String again = inject(extracted).get("sw8");
      assertEquals(unb64(header.split("-")[1]), unb64(again.split("-")[1]), "the caller's trace ID string");
      assertEquals(parent, extractSw8(again), "the receiver's IDs and the sampled flag");

      // Outside that context (e.g. after a hop over W3C traceparent) the trace ID is written as 32 hex, which
      // the receiver maps to the same OTel trace ID.
      String fresh = inject(contextWith(parent.getTraceId(), parent.getSpanId(), parent.isSampled())).get("sw8");
      assertEquals(parent.getTraceId(), unb64(fresh.split("-")[1]));
      assertEquals(parent, extractSw8(fresh));
    });
  }

  @Test
  void headersParseAndFormatBackToTheSameText() {
    qt().withExamples(500).forAll(sw8Headers()).checkAssert(header -> assertEquals(header, Sw8Header.parse(header).format()));
  }

  @Test
  void goAtoiAcceptsAndRejectsWhatLongParseLongDoesOnAsciiInput() {
    Gen<String> signedDigits = lists().of(Generate.pick(Arrays.asList("+", "-", "0", "1", "5", "9")))
        .ofSizeBetween(0, 22).map(chars -> String.join("", chars));
    Gen<String> numbers = longs().all().map(n -> Long.toString(n));
    qt().withExamples(3000).forAll(signedDigits.mix(numbers)).checkAssert(s -> {
      Long expected;
      try {
        expected = Long.parseLong(s);
      } catch (NumberFormatException e) {
        expected = null;
      }
      byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
      assertEquals(expected, GoAtoi.parse(bytes, 0, bytes.length), s);
    });
  }

  @Test
  void theFoldLosesTheSegmentId() {
    qt().withExamples(500).forAll(traceIds(), spanIds()).checkAssert((traceId, spanId) -> {
      // Two different segment IDs with one span ID: the reason sw8 → OTel cannot be undone.
      byte[] t = TestHex.bytes(traceId);
      byte[] s = TestHex.bytes(spanId);
      byte[] otherHalf = t.clone();
      otherHalf[0] ^= 1;
      String segment = Sw8IdEncoding.segmentId(t, s);
      String other = Sw8IdEncoding.segmentId(otherHalf, s);
      assertNotEquals(segment, other);
      assertArrayEquals(s, ReceiverIdMapping.spanId(ascii(segment), Sw8IdEncoding.SPAN_NUMBER));
      assertArrayEquals(s, ReceiverIdMapping.spanId(ascii(other), Sw8IdEncoding.SPAN_NUMBER));
    });
  }

  /**
   * Whether the receiver maps the header's IDs to valid (non-zero) OTel IDs. Not every well-formed header does:
   * a segment ID whose two 8-byte halves are equal (after the numbers are XORed in) folds to the all-zero span
   * ID, e.g. {@code 8000000000000000} twice. Those give no parent (Sw8PropagatorVectorTest and
   * Sw8PropagatorTest check that), so they have no round trip to check here.
   */
  private static boolean receiverGivesValidIds(String header) {
    Sw8Header parsed = Sw8Header.parse(header);
    return !Arrays.equals(ReceiverIdMapping.traceId(parsed.traceId), new byte[ReceiverIdMapping.TRACE_ID_BYTES])
        && !Arrays.equals(ReceiverIdMapping.spanId(parsed.parentSegmentId, parsed.parentSpanNumber),
            new byte[ReceiverIdMapping.SPAN_ID_BYTES]);
  }

  private static Gen<String> traceIds() {
    return longs().all().zip(longs().all(), (high, low) -> String.format("%016x%016x", high, low))
        .assuming(h -> !h.matches("0+"));
  }

  private static Gen<String> spanIds() {
    return longs().all().map(n -> String.format("%016x", n)).assuming(h -> !h.matches("0+"));
  }

  /** Headers as SkyWalking agents write them: Java agent, Python agent and dashed-uuid trace IDs. */
  private static Gen<String> sw8Headers() {
    Gen<String> hex32 = traceIds();
    Gen<String> javaAgentId = hex32.zip(longs().all(), longs().all(), (h, a, b) -> h + "." + a + "." + b);
    Gen<String> dashed = hex32.map(h -> Arrays.stream(new String[] {h.substring(0, 8), h.substring(8, 12),
        h.substring(12, 16), h.substring(16, 20), h.substring(20)}).collect(Collectors.joining("-")));
    Gen<String> traceId = Generate.oneOf(hex32, dashed, javaAgentId);
    Gen<String> segmentId = Generate.oneOf(hex32, javaAgentId);
    return Generate.pick(Arrays.asList("0", "1")).zip(traceId, segmentId, integers().between(0, Integer.MAX_VALUE),
        (sample, t, s, n) -> TestCarriers.sw8(sample, t, s, Integer.toString(n)));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
