package skyshift.sw8;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;

/**
 * Propagates OpenTelemetry context as SkyWalking's {@code sw8} header, with the IDs the collector's
 * {@code skywalking} receiver assigns, so SkyWalking and OpenTelemetry services that both report through the
 * collector form one trace. See docs/sw8-propagator.md for what joins and what does not.
 */
final class Sw8Propagator implements TextMapPropagator {
  /**
   * The SkyWalking trace ID string an extracted parent came with, and the OTel trace ID it maps to. Inject
   * writes that string again while the trace is the same, so downstream SkyWalking services keep the caller's
   * trace ID byte for byte (a Java agent's {@code hex.thread.seq} ID does not survive the trip through the
   * 16-byte OTel ID).
   */
  private static final ContextKey<IncomingTraceId> INCOMING_TRACE_ID = ContextKey.named("skyshift-sw8-trace-id");

  private final Sw8Identity identity;

  Sw8Propagator(Sw8Identity identity) {
    this.identity = identity;
  }

  @Override
  public Collection<String> fields() {
    return Collections.singletonList(Sw8Header.NAME);
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (!span.isValid()) {
      return;
    }
    byte[] traceId = span.getTraceIdBytes();
    IncomingTraceId incoming = context.get(INCOMING_TRACE_ID);
    byte[] swTraceId = incoming != null && incoming.otelTraceId.equals(span.getTraceId())
        ? incoming.swTraceId
        : Sw8IdEncoding.traceId(traceId).getBytes(StandardCharsets.US_ASCII);
    Sw8Header header = new Sw8Header(span.isSampled(), swTraceId,
        Sw8IdEncoding.segmentId(traceId, span.getSpanIdBytes()).getBytes(StandardCharsets.US_ASCII),
        Sw8IdEncoding.SPAN_NUMBER, identity.service, identity.instance, Sw8Identity.UNKNOWN, Sw8Identity.UNKNOWN);
    setter.set(carrier, Sw8Header.NAME, header.format());
  }

  /**
   * Reads {@code sw8} into a remote parent whose IDs are the receiver's IDs for the caller's exit span. The
   * context is returned unchanged when the header is missing or malformed, when the receiver would map it to
   * an invalid (all-zero) ID, and when an earlier propagator (W3C {@code traceparent}) already extracted a
   * parent: W3C carries the same IDs losslessly and keeps {@code tracestate}.
   */
  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      return Context.root();
    }
    if (getter == null) {
      return context;
    }
    String value = getter.get(carrier, Sw8Header.NAME);
    SpanContext existing = Span.fromContext(context).getSpanContext();
    if (value == null || (existing.isValid() && existing.isRemote())) {
      return context;
    }
    Sw8Header header = Sw8Header.parse(value);
    if (header == null) {
      return context;
    }
    String traceId = TraceId.fromBytes(ReceiverIdMapping.traceId(header.traceId));
    String spanId = SpanId.fromBytes(ReceiverIdMapping.spanId(header.parentSegmentId, header.parentSpanNumber));
    SpanContext parent = SpanContext.createFromRemoteParent(traceId, spanId,
        header.sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    if (!parent.isValid()) {
      return context;
    }
    return context.with(Span.wrap(parent))
        .with(INCOMING_TRACE_ID, new IncomingTraceId(header.traceId, traceId));
  }

  @Override
  public String toString() {
    return "Sw8Propagator";
  }

  private static final class IncomingTraceId {
    final byte[] swTraceId;
    final String otelTraceId;

    IncomingTraceId(byte[] swTraceId, String otelTraceId) {
      this.swTraceId = swTraceId;
      this.otelTraceId = otelTraceId;
    }
  }
}
