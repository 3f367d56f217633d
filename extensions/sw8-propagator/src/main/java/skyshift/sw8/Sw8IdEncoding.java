package skyshift.sw8;

/**
 * The sw8 IDs this propagator writes for an OpenTelemetry span, chosen so that the receiver's mapping
 * ({@link ReceiverIdMapping}) gives back exactly the span's trace and span IDs.
 *
 * <p>The receiver's fold keeps 8 bytes of a segment ID's 16 hex bytes and two numbers, so an sw8 parent is
 * never recoverable from its OTel span ID; the reverse has many exact solutions. This one:
 * <ul>
 *   <li>trace ID: the 32 lowercase hex digits of the OTel trace ID. At 32 bytes the receiver parses it as a
 *       uuid, which is those 16 bytes unchanged.</li>
 *   <li>parent segment ID: {@code hex(T[0..8]) + hex(T[0..8] XOR S)} for trace ID T and span ID S, and parent
 *       span number 0. The receiver XORs span number 0 into nothing and folds byte i with byte i+8:
 *       {@code T[i] XOR T[i] XOR S[i] = S[i]}. Taking the first half from the trace ID keeps segment IDs of
 *       different traces apart even where span IDs repeat, and gives SkyWalking agents the 32-hex form they
 *       write themselves (the Python agent's IDs).</li>
 * </ul>
 */
final class Sw8IdEncoding {
  /** The parent span number written: the fold maps it to no change. */
  static final int SPAN_NUMBER = 0;

  private Sw8IdEncoding() {}

  static String traceId(byte[] otelTraceId) {
    return Hex.lowercase(otelTraceId);
  }

  static String segmentId(byte[] otelTraceId, byte[] otelSpanId) {
    byte[] half = new byte[ReceiverIdMapping.SPAN_ID_BYTES];
    byte[] pad = new byte[ReceiverIdMapping.SPAN_ID_BYTES];
    for (int i = 0; i < half.length; i++) {
      half[i] = otelTraceId[i];
      pad[i] = (byte) (otelTraceId[i] ^ otelSpanId[i]);
    }
    return Hex.lowercase(half) + Hex.lowercase(pad);
  }
}
