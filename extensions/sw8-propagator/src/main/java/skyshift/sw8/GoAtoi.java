package skyshift.sw8;

/**
 * Go's {@code strconv.Atoi} on a 64-bit platform, which the receiver's translator uses for the numbers in
 * SkyWalking IDs: an optional '+' or '-', then one or more ASCII digits, within the int64 range. Unlike
 * {@link Long#parseLong}, non-ASCII digits are rejected (Java's {@code Character.digit} accepts them).
 */
final class GoAtoi {
  private GoAtoi() {}

  /** The number in {@code s[from, to)}, or null where Atoi returns an error. */
  static Long parse(byte[] s, int from, int to) {
    boolean negative = false;
    int i = from;
    if (i < to && (s[i] == '+' || s[i] == '-')) {
      negative = s[i] == '-';
      i++;
    }
    if (i == to) {
      return null;
    }
    // Accumulate negatively: the int64 range has one more negative value than positive ones.
    long value = 0;
    for (; i < to; i++) {
      if (s[i] < '0' || s[i] > '9') {
        return null;
      }
      int digit = s[i] - '0';
      if (value < (Long.MIN_VALUE + digit) / 10) {
        return null;
      }
      value = value * 10 - digit;
    }
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        return null;
      }
      value = -value;
    }
    return value;
  }
}
