package org.gatehouse.server.qrlogin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The byte-string helpers of RFC 9180 §3 (concat, I2OSP) and the ASCII/UTF-8 encodings of labels. */
final class Bytes {
  private Bytes() {
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** I2OSP(n, length): {@code n} as a big-endian byte string of {@code length} bytes. */
  static byte[] i2osp(long n, int length) {
    byte[] out = new byte[length];
    for (int i = length - 1; i >= 0 && n != 0; i--) {
      out[i] = (byte) n;
      n >>>= 8;
    }
    if (n != 0) {
      throw new IllegalArgumentException("does not fit in " + length + " bytes");
    }
    return out;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
