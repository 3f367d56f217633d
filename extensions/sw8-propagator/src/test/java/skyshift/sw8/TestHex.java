package skyshift.sw8;

/** Hex text to bytes, for tests (the extension itself only writes hex). */
final class TestHex {
  private TestHex() {}

  static byte[] bytes(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
