package skyshift.sw8;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    byte[] spanField = bytes(fields[3]);
    Long spanNumber = spanField.length > 0 && (spanField[0] == '+' || spanField[0] == '-') ? null
        : GoAtoi.parse(spanField, 0, spanField.length);
    byte[] traceId = base64Decode(fields[1]);
    byte[] segmentId = base64Decode(fields[2]);
    byte[][] sender = {base64Decode(fields[4]), base64Decode(fields[5]), base64Decode(fields[6]), base64Decode(fields[7])};
    if (spanNumber == null || spanNumber > Integer.MAX_VALUE || traceId == null || traceId.length == 0
        || segmentId == null || segmentId.length == 0 || Arrays.asList(sender).contains(null)) {
      return null;
    }
    return new Sw8Header(fields[0].equals("1"), traceId, segmentId, spanNumber.intValue(), utf8(sender[0]),
        utf8(sender[1]), utf8(sender[2]), utf8(sender[3]));
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

  private static byte[] base64Decode(String field) {
    try {
      return Base64.getDecoder().decode(field);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
