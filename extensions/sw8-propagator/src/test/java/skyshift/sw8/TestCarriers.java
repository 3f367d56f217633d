package skyshift.sw8;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Header maps as carriers, and the propagator under test with a fixed identity. */
final class TestCarriers {
  static final Sw8Propagator PROPAGATOR = new Sw8Propagator(new Sw8Identity("checkout", "checkout-7d9f"));

  static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<Map<String, String>>() {
    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  static final TextMapSetter<Map<String, String>> SETTER = Map::put;

  private TestCarriers() {}

  static SpanContext extract(Map<String, String> headers) {
    return Span.fromContext(PROPAGATOR.extract(Context.root(), headers, GETTER)).getSpanContext();
  }

  static SpanContext extractSw8(String header) {
    Map<String, String> headers = new HashMap<>();
    headers.put("sw8", header);
    return extract(headers);
  }

  static Map<String, String> inject(Context context) {
    Map<String, String> headers = new HashMap<>();
    PROPAGATOR.inject(context, headers, SETTER);
    return headers;
  }

  static Context contextWith(String traceId, String spanId, boolean sampled) {
    return Context.root().with(Span.wrap(SpanContext.create(traceId, spanId,
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
  }

  /** An sw8 value the way SkyWalking agents write one (sample flag, base64 fields, plain span number). */
  static String sw8(String sample, String traceId, String segmentId, String spanNumber) {
    return String.join("-", sample, b64(traceId), b64(segmentId), spanNumber, b64("upstream"),
        b64("upstream-1"), b64("GET /orders"), b64("checkout:8080"));
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
