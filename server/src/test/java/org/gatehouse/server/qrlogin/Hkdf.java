package org.gatehouse.server.qrlogin;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) over the JDK's HmacSHA256. */
final class Hkdf {
  static final int HASH_LENGTH = 32;

  private Hkdf() {
  }

  /**
   * HKDF-Extract. An empty salt means HashLen zero bytes (RFC 5869 §2.2); the JDK refuses empty HMAC keys, and
   * HMAC pads its key with zeros anyway, so both are the same key.
   */
  static byte[] extract(byte[] salt, byte[] ikm) {
    return hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt, ikm);
  }

  /** HKDF-Expand to {@code length} bytes (at most 255 blocks). */
  static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 0 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF-Expand cannot produce " + length + " bytes");
    }
    ByteArrayOutputStream okm = new ByteArrayOutputStream(length);
    byte[] block = new byte[0];
    for (int counter = 1; okm.size() < length; counter++) {
      block = hmac(prk, Bytes.concat(block, info, new byte[] {(byte) counter}));
      okm.write(block, 0, Math.min(block.length, length - okm.size()));
    }
    return okm.toByteArray();
  }

  /** Extract-then-expand, the {@code HKDF_SHA256(secret, info, salt, size)} of the MSC4388 text. */
  static byte[] derive(byte[] ikm, byte[] info, byte[] salt, int length) {
    return expand(extract(salt, ikm), info, length);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }
}
