package skyshift.sw8;

/** Hex digits as Go's encoding/hex and github.com/google/uuid read them: ASCII, either case. */
final class Hex {
  private static final char[] LOWERCASE_DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** The value of one hex digit, or -1 for any other byte. */
  static int digit(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  static String lowercase(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = LOWERCASE_DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = LOWERCASE_DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }
}
