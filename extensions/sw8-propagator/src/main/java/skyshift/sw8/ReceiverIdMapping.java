package skyshift.sw8;

/**
 * The IDs the OpenTelemetry Collector contrib {@code skywalking} receiver gives SkyWalking traces and spans,
 * written for this extension after the receiver's translator at the version the lab's collector is built
 * from: {@code pkg/translator/skywalking/skywalkingproto_to_traces.go} of opentelemetry-collector-contrib
 * v0.140.1 ({@code swTraceIDToTraceID}, {@code segmentIDToSpanID}, {@code swStringToUUID},
 * {@code uuidTo8Bytes}). The Java tests compare it with vectors that translator itself computes
 * (test/lab/tools/sw8-vectors), malformed IDs included, so every quirk below is the receiver's own.
 *
 * <p>IDs are the UTF-8 bytes of the decoded sw8 fields: the translator measures and indexes Go strings,
 * which are bytes, not UTF-16 characters.
 */
final class ReceiverIdMapping {
  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;
  /** Length of an RFC 4122 uuid string: trace IDs up to this long are parsed as a uuid. */
  private static final int UUID_STRING_LENGTH = 36;
  private static final int HEX_PREFIX_LENGTH = 32;

  private ReceiverIdMapping() {}

  /**
   * The OTel trace ID of a SkyWalking trace ID: at most 36 bytes → parsed as a uuid the way
   * {@code github.com/google/uuid} Parse does (32 hex, or dashed), all zeros when that fails; longer → the
   * first 32 hex digits XOR the two numbers after the dots (see {@link #swStringToUuid}).
   */
  static byte[] traceId(byte[] swTraceId) {
    if (swTraceId.length <= UUID_STRING_LENGTH) {
      return parseUuid(swTraceId);
    }
    return swStringToUuid(swTraceId, 0);
  }

  /**
   * The OTel span ID of span {@code spanNumber} of SkyWalking segment {@code segmentId}: all zeros for IDs
   * shorter than 32 bytes, else the 16 bytes of {@link #swStringToUuid} folded to 8 (byte i XOR byte i+8).
   * The span number is used as the translator's {@code uint32}: its 32 bits, whatever the sign.
   */
  static byte[] spanId(byte[] segmentId, int spanNumber) {
    byte[] folded = new byte[SPAN_ID_BYTES];
    if (segmentId.length < HEX_PREFIX_LENGTH) {
      return folded;
    }
    byte[] uuid = swStringToUuid(segmentId, spanNumber);
    for (int i = 0; i < SPAN_ID_BYTES; i++) {
      folded[i] = (byte) (uuid[i] ^ uuid[i + SPAN_ID_BYTES]);
    }
    return folded;
  }

  /**
   * {@code <32 hex>[.<mid>.<last>]} → hex bytes, with bytes 0–3 XOR {@code extra}, 4–7 XOR the low 32 bits of
   * {@code mid} and 8–15 XOR {@code last}, each little-endian. As in the translator: a non-hex digit stops the
   * decoding and returns the bytes decoded so far, unmixed; a first dot not at index 32, a missing second dot
   * or a number Go's {@code strconv.Atoi} rejects gives all zeros. An ID with one dot, at index 32, makes the
   * translator panic (it slices {@code s[33:32]}); no ID is assigned then, and this returns all zeros.
   */
  private static byte[] swStringToUuid(byte[] s, int extra) {
    byte[] uuid = new byte[TRACE_ID_BYTES];
    if (s.length < HEX_PREFIX_LENGTH) {
      return uuid;
    }
    for (int i = 0; i < TRACE_ID_BYTES; i++) {
      int high = Hex.digit(s[2 * i]);
      int low = Hex.digit(s[2 * i + 1]);
      if (high < 0 || low < 0) {
        return uuid;
      }
      uuid[i] = (byte) (high << 4 | low);
    }
    xorLittleEndian(uuid, 0, 4, extra);
    if (s.length == HEX_PREFIX_LENGTH) {
      return uuid;
    }
    int firstDot = indexOf(s, (byte) '.');
    int lastDot = lastIndexOf(s, (byte) '.');
    if (firstDot != HEX_PREFIX_LENGTH || lastDot == firstDot) {
      return new byte[TRACE_ID_BYTES];
    }
    Long mid = GoAtoi.parse(s, firstDot + 1, lastDot);
    Long last = GoAtoi.parse(s, lastDot + 1, s.length);
    if (mid == null || last == null) {
      return new byte[TRACE_ID_BYTES];
    }
    xorLittleEndian(uuid, 4, 4, mid);
    xorLittleEndian(uuid, 8, 8, last);
    return uuid;
  }

  /** {@code github.com/google/uuid} v1.6.0 Parse for the lengths the translator lets through (≤ 36). */
  private static byte[] parseUuid(byte[] s) {
    byte[] uuid = new byte[TRACE_ID_BYTES];
    int[] positions;
    if (s.length == HEX_PREFIX_LENGTH) {
      positions = new int[TRACE_ID_BYTES];
      for (int i = 0; i < TRACE_ID_BYTES; i++) {
        positions[i] = 2 * i;
      }
    } else if (s.length == UUID_STRING_LENGTH && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-') {
      positions = new int[] {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
    } else {
      return uuid;
    }
    for (int i = 0; i < TRACE_ID_BYTES; i++) {
      int high = Hex.digit(s[positions[i]]);
      int low = Hex.digit(s[positions[i] + 1]);
      if (high < 0 || low < 0) {
        return new byte[TRACE_ID_BYTES];
      }
      uuid[i] = (byte) (high << 4 | low);
    }
    return uuid;
  }

  private static void xorLittleEndian(byte[] target, int offset, int length, long value) {
    for (int i = 0; i < length; i++) {
      target[offset + i] ^= (byte) (value >>> (8 * i));
    }
  }

  private static int indexOf(byte[] s, byte b) {
    for (int i = 0; i < s.length; i++) {
      if (s[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] s, byte b) {
    for (int i = s.length - 1; i >= 0; i--) {
      if (s[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
