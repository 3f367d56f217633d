package skyshift.sw8;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One {@code sw8} header value: {@code sample-b64(traceId)-b64(parentSegmentId)-parentSpanId-
 * b64(parentService)-b64(parentInstance)-b64(parentEndpoint)-b64(target)}, as SkyWalking agents write and read
 * it (apache/skywalking-java apm-agent-core ContextCarrier; apache/skywalking-python skywalking/trace/
 * carrier.py). Base64 is the standard alphabet with padding, whose characters never include the '-'
 * separator.
 */
final class Sw8Header {
  static final String NAME = "sw8";
  private static final int FIELD_COUNT = 8;

  final boolean sampled;
  /** The decoded IDs as bytes: the receiver maps bytes (see {@link ReceiverIdMapping}). */
  final byte[] traceId;
  final byte[] parentSegmentId;
  final int parentSpanNumber;
  final String parentService;
  final String parentInstance;
  final String parentEndpoint;
  final String target;

  Sw8Header(boolean sampled, byte[] traceId, byte[] parentSegmentId, int parentSpanNumber, String parentService,
      String parentInstance, String parentEndpoint, String target) {
    this.sampled = sampled;
    this.traceId = traceId;
    this.parentSegmentId = parentSegmentId;
    this.parentSpanNumber = parentSpanNumber;
    this.parentService = parentService;
    this.parentInstance = parentInstance;
    this.parentEndpoint = parentEndpoint;
    this.target = target;
  }

  /**
   * The header, or null when it is not one: not 8 fields, a sample flag other than 0 or 1, a field that is not
   * base64, an empty trace or segment ID, or a span number that is not a non-negative int (SkyWalking agents
   * reject a negative one: ContextCarrier.isValid requires spanId > -1; the Python agent requires digits).
   */
  static Sw8Header parse(String value) {
    String[] fields = value.split("-", -1);
    if (fields.length != FIELD_COUNT || !(fields[0].equals("0") || fields[0].equals("1"))) {
      return null;
    }
    byte[][] decoded = new byte[FIELD_COUNT][];
    for (int i = 1; i < FIELD_COUNT; i++) {
      if (i == 3) {
        continue;
      }
      try {
        decoded[i] = Base64.getDecoder().decode(fields[i]);
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
    }
    byte[] spanField = bytes(fields[3]);
    Long spanNumber = spanField.length > 0 && (spanField[0] == '+' || spanField[0] == '-') ? null
        : GoAtoi.parse(spanField, 0, spanField.length);
    if (spanNumber == null || spanNumber > Integer.MAX_VALUE || decoded[1].length == 0 || decoded[2].length == 0) {
      return null;
    }
    return new Sw8Header(fields[0].equals("1"), decoded[1], decoded[2], spanNumber.intValue(), utf8(decoded[4]),
        utf8(decoded[5]), utf8(decoded[6]), utf8(decoded[7]));
  }

  String format() {
    return String.join("-", sampled ? "1" : "0", base64(traceId), base64(parentSegmentId),
        Integer.toString(parentSpanNumber), base64(bytes(parentService)), base64(bytes(parentInstance)),
        base64(bytes(parentEndpoint)), base64(bytes(target)));
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
