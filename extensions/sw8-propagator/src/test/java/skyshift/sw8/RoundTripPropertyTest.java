package skyshift.sw8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static skyshift.sw8.TestCarriers.GETTER;
import static skyshift.sw8.TestCarriers.PROPAGATOR;
import static skyshift.sw8.TestCarriers.contextWith;
import static skyshift.sw8.TestCarriers.extractSw8;
import static skyshift.sw8.TestCarriers.inject;
import static skyshift.sw8.TestCarriers.unb64;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The round trips, stated exactly:
 * <ul>
 *   <li>OTel → sw8 → OTel is the identity on valid trace ID, span ID and sampled flag.</li>
 *   <li>sw8 → OTel → sw8 keeps what the receiver sees: the re-injected header maps to the same OTel IDs and
 *       sampled flag, and, inside the process that extracted it, carries the caller's trace ID string byte for
 *       byte. The parent segment ID and span number are not kept: the receiver folds 32 hex digits and two or
 *       three numbers into 8 bytes, and inject writes one of the many segment IDs with the same fold.</li>
 * </ul>
 */
class RoundTripPropertyTest {
  @Property(tries = 2000)
  void otelToSw8ToOtelIsExact(@ForAll("traceIds") String traceId, @ForAll("spanIds") String spanId,
      @ForAll boolean sampled) {
    SpanContext back = extractSw8(inject(contextWith(traceId, spanId, sampled)).get("sw8"));
    assertEquals(traceId, back.getTraceId());
    assertEquals(spanId, back.getSpanId());
    assertEquals(sampled, back.isSampled());
    assertTrue(back.isRemote());
  }

  @Property(tries = 2000)
  void sw8ToOtelToSw8KeepsWhatTheReceiverSees(@ForAll("sw8Headers") String header) {
    Map<String, String> incoming = new HashMap<>();
    incoming.put("sw8", header);
    Context extracted = PROPAGATOR.extract(Context.root(), incoming, GETTER);
    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    Assume.that(parent.isValid());

    String again = inject(extracted).get("sw8");
    assertEquals(unb64(header.split("-")[1]), unb64(again.split("-")[1]), "the caller's trace ID string");
    assertEquals(parent, extractSw8(again), "the receiver's IDs and the sampled flag");

    // Outside that context (e.g. after a hop over W3C traceparent) the trace ID is written as 32 hex, which the
    // receiver maps to the same OTel trace ID.
    String fresh = inject(contextWith(parent.getTraceId(), parent.getSpanId(), parent.isSampled())).get("sw8");
    assertEquals(parent.getTraceId(), unb64(fresh.split("-")[1]));
    assertEquals(parent, extractSw8(fresh));
  }

  @Property(tries = 3000)
  void goAtoiAcceptsAndRejectsWhatLongParseLongDoesOnAsciiInput(@ForAll("signedDigits") String s) {
    Long expected;
    try {
      expected = Long.parseLong(s);
    } catch (NumberFormatException e) {
      expected = null;
    }
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(expected, GoAtoi.parse(bytes, 0, bytes.length), s);
  }

  @Property(tries = 500)
  void headersParseAndFormatBackToTheSameText(@ForAll("sw8Headers") String header) {
    Sw8Header parsed = Sw8Header.parse(header);
    assertEquals(header, parsed.format());
  }

  @Property(tries = 500)
  void theFoldLosesTheSegmentId(@ForAll("traceIds") String traceId, @ForAll("spanIds") String spanId) {
    // Two different segment IDs with one span ID: the reason sw8 → OTel cannot be undone.
    byte[] t = TestHex.bytes(traceId);
    byte[] s = TestHex.bytes(spanId);
    byte[] otherHalf = t.clone();
    otherHalf[0] ^= 1;
    String segment = Sw8IdEncoding.segmentId(t, s);
    String other = Sw8IdEncoding.segmentId(otherHalf, s);
    assertNotEquals(segment, other);
    assertArrayEquals(ReceiverIdMapping.spanId(segment.getBytes(), 0), ReceiverIdMapping.spanId(other.getBytes(), 0));
    assertArrayEquals(s, ReceiverIdMapping.spanId(segment.getBytes(), Sw8IdEncoding.SPAN_NUMBER));
  }

  @Provide
  Arbitrary<String> traceIds() {
    return hex(32).filter(h -> !h.matches("0+"));
  }

  @Provide
  Arbitrary<String> spanIds() {
    return hex(16).filter(h -> !h.matches("0+"));
  }

  @Provide
  Arbitrary<String> signedDigits() {
    return Arbitraries.strings().withChars("+-0123456789").ofMinLength(0).ofMaxLength(22);
  }

  /** Headers as SkyWalking agents write them: Java agent, Python agent and dashed-uuid trace IDs. */
  @Provide
  Arbitrary<String> sw8Headers() {
    Arbitrary<String> number = Arbitraries.longs().map(n -> Long.toString(n));
    Arbitrary<String> javaAgentId = Combinators.combine(hex(32), number, number).as((h, a, b) -> h + "." + a + "." + b);
    Arbitrary<String> dashed = hex(32).map(h -> h.substring(0, 8) + "-" + h.substring(8, 12) + "-"
        + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20));
    Arbitrary<String> traceId = Arbitraries.oneOf(hex(32), dashed, javaAgentId);
    Arbitrary<String> segmentId = Arbitraries.oneOf(hex(32), javaAgentId);
    return Combinators.combine(Arbitraries.of("0", "1"), traceId, segmentId, Arbitraries.integers().between(0,
        Integer.MAX_VALUE)).as((sample, t, s, n) -> TestCarriers.sw8(sample, t, s, Integer.toString(n)));
  }

  private static Arbitrary<String> hex(int length) {
    return Arbitraries.strings().withChars("0123456789abcdef").ofLength(length);
  }
}
