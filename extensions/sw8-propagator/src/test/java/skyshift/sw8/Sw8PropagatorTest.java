package skyshift.sw8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static skyshift.sw8.TestCarriers.GETTER;
import static skyshift.sw8.TestCarriers.PROPAGATOR;
import static skyshift.sw8.TestCarriers.contextWith;
import static skyshift.sw8.TestCarriers.extract;
import static skyshift.sw8.TestCarriers.extractSw8;
import static skyshift.sw8.TestCarriers.inject;
import static skyshift.sw8.TestCarriers.sw8;
import static skyshift.sw8.TestCarriers.unb64;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Header parsing edge cases and what inject writes, on hand-picked inputs. */
class Sw8PropagatorTest {
  /** A SkyWalking Java agent's IDs (GlobalIdGenerator: uuid hex, thread id, millis*10000 + seq). */
  private static final String JAVA_TRACE = "56a5e1c519ae4c76a2b8b11d92cead7f.12.16563474296430001";
  private static final String JAVA_SEGMENT = "8a1b9c2d3e4f50617283940a1b2c3d4e.12.16563474296430002";
  private static final String VALID = sw8("1", JAVA_TRACE, JAVA_SEGMENT, "1");

  @Test
  void aValidHeaderGivesASampledRemoteParent() {
    SpanContext parent = extractSw8(VALID);
    assertTrue(parent.isValid() && parent.isRemote() && parent.isSampled(), parent.toString());
  }

  @Test
  void sampleFlagZeroGivesAParentThatIsNotSampled() {
    SpanContext parent = extractSw8(sw8("0", JAVA_TRACE, JAVA_SEGMENT, "1"));
    assertTrue(parent.isValid(), parent.toString());
    assertFalse(parent.isSampled());
  }

  @Test
  void noHeaderLeavesTheContextAsItWas() {
    Context context = Context.root();
    assertSame(context, PROPAGATOR.extract(context, Collections.emptyMap(), GETTER));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "",
      "1",
      "2-NTZhNQ==-OGExYg==-1-dQ==-dQ==-dQ==-dQ==", // sample flag neither 0 nor 1
      "1-NTZhNQ==-OGExYg==-1-dQ==-dQ==-dQ==", // 7 fields
      "1-NTZhNQ==-OGExYg==-1-dQ==-dQ==-dQ==-dQ==-dQ==", // 9 fields
      "1-NTZhNQ=-OGExYg==-1-dQ==-dQ==-dQ==-dQ==", // trace ID: bad padding
      "1-NTZh*Q==-OGExYg==-1-dQ==-dQ==-dQ==-dQ==", // trace ID: not in the base64 alphabet
      "1-NTZhNQ==-OGExYg==-1-dQ==-dQ==-dQ==-d", // target: truncated base64
      "1-NTZhNQ==-OGExYg==-x-dQ==-dQ==-dQ==-dQ==", // span number not a number
      "1-NTZhNQ==-OGExYg==--1-dQ==-dQ==-dQ==-dQ==", // negative span number splits into 9 fields
      "1-NTZhNQ==-OGExYg==-+1-dQ==-dQ==-dQ==-dQ==", // signed span number
      "1-NTZhNQ==-OGExYg==-2147483648-dQ==-dQ==-dQ==-dQ==", // span number beyond int32
      "1--OGExYg==-1-dQ==-dQ==-dQ==-dQ==", // empty trace ID
      "1-NTZhNQ==--1-dQ==-dQ==-dQ==-dQ==", // empty segment ID
  })
  void malformedHeadersGiveNoParent(String header) {
    assertFalse(extractSw8(header).isValid(), header);
  }

  @Test
  void idsTheReceiverMapsToZeroGiveNoParent() {
    assertFalse(extractSw8(sw8("1", "not-a-uuid", JAVA_SEGMENT, "1")).isValid(), "trace ID maps to zeros");
    assertFalse(extractSw8(sw8("1", JAVA_TRACE, "tooshort", "1")).isValid(), "segment ID maps to zeros");
    assertFalse(extractSw8(sw8("1", JAVA_TRACE, "8a1b9c2d3e4f50617283940a1b2c3d4e.12", "1")).isValid(),
        "one dot: the translator panics");
    assertFalse(extractSw8(sw8("1", JAVA_TRACE, "80000000000000008000000000000000", "0")).isValid(),
        "equal halves fold to the all-zero span ID");
  }

  @Test
  void aParentAnEarlierPropagatorExtractedIsKept() {
    Context fromTraceparent = contextWith("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true);
    Context remote = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        Span.fromContext(fromTraceparent).getSpanContext().getTraceFlags(),
        Span.fromContext(fromTraceparent).getSpanContext().getTraceState())));
    Map<String, String> headers = new HashMap<>();
    headers.put("sw8", VALID);
    assertSame(remote, PROPAGATOR.extract(remote, headers, GETTER));
    // A local current span is not a parent from the wire: sw8 still applies.
    SpanContext parent = Span.fromContext(PROPAGATOR.extract(fromTraceparent, headers, GETTER)).getSpanContext();
    assertEquals(extractSw8(VALID), parent);
  }

  @Test
  void injectWritesAllFieldsSkyWalkingAgentsRequire() {
    String[] fields = inject(contextWith("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true))
        .get("sw8").split("-", -1);
    assertEquals(8, fields.length);
    assertEquals(List.of("1", "0af7651916cd43dd8448eb211c80319c", "0af7651916cd43ddbd5a0e687fed70ec", "0",
            "checkout", "checkout-7d9f", Sw8Identity.UNKNOWN, Sw8Identity.UNKNOWN),
        List.of(fields[0], unb64(fields[1]), unb64(fields[2]), fields[3], unb64(fields[4]), unb64(fields[5]),
            unb64(fields[6]), unb64(fields[7])));
  }

  @Test
  void injectWritesSampleFlagZeroForAnUnsampledSpan() {
    assertTrue(inject(contextWith("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", false))
        .get("sw8").startsWith("0-"));
  }

  @Test
  void injectWritesNothingWithoutAValidSpan() {
    assertEquals(Collections.emptyMap(), inject(Context.root()));
  }

  @Test
  void theCallersSkyWalkingTraceIdIsPassedOnUnchanged() {
    Map<String, String> incoming = new HashMap<>();
    incoming.put("sw8", VALID);
    Context extracted = PROPAGATOR.extract(Context.root(), incoming, GETTER);
    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    // A child span of the extracted parent, in the same context: same trace, new span ID.
    Context child = extracted.with(Span.wrap(SpanContext.create(parent.getTraceId(), "00f067aa0ba902b7",
        parent.getTraceFlags(), parent.getTraceState())));
    assertEquals(JAVA_TRACE, unb64(inject(child).get("sw8").split("-")[1]));
    // A different trace in that context does not borrow the caller's ID.
    Context otherTrace = extracted.with(Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7", parent.getTraceFlags(), parent.getTraceState())));
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", unb64(inject(otherTrace).get("sw8").split("-")[1]));
  }

  @Test
  void theOnlyFieldIsSw8() {
    assertEquals(List.of("sw8"), List.copyOf(PROPAGATOR.fields()));
    assertFalse(extract(Collections.emptyMap()).isValid());
  }
}
