package org.gatehouse.auth.domain;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The opaque token format of the reference Matrix authorization service: a type prefix, 30 random alphanumerics
 * and a CRC-32 of the rest in base62 ({@code mat_<30>_<6>}). Secret scanners can recognise and revoke leaked
 * tokens by the prefix and checksum; the server can reject a mistyped or forged token without a database lookup.
 */
public enum TokenFormat {
  ACCESS("mat"),
  REFRESH("mar");

  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_LENGTH = 30;
  private static final int CHECKSUM_LENGTH = 6;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix;

  TokenFormat(String prefix) {
    this.prefix = prefix;
  }

  public String generate() {
    StringBuilder b = new StringBuilder(prefix.length() + 2 + RANDOM_LENGTH + CHECKSUM_LENGTH).append(prefix).append('_');
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      b.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    String base = b.toString();
    return base + "_" + checksum(base);
  }

  /** Whether {@code token} is well-formed for this type, checksum included. */
  public boolean matches(String token) {
    int expected = prefix.length() + 1 + RANDOM_LENGTH + 1 + CHECKSUM_LENGTH;
    if (token == null || token.length() != expected || !token.startsWith(prefix + "_")
        || token.charAt(prefix.length() + 1 + RANDOM_LENGTH) != '_') {
      return false;
    }
    String base = token.substring(0, prefix.length() + 1 + RANDOM_LENGTH);
    for (int i = prefix.length() + 1; i < base.length(); i++) {
      if (ALPHANUMERIC.indexOf(base.charAt(i)) < 0) {
        return false;
      }
    }
    return checksum(base).equals(token.substring(base.length() + 1));
  }

  /** Which format {@code token} has, if any. */
  public static TokenFormat of(String token) {
    for (TokenFormat format : values()) {
      if (format.matches(token)) {
        return format;
      }
    }
    return null;
  }

  static String checksum(String base) {
    CRC32 crc = new CRC32();
    crc.update(base.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] out = new char[CHECKSUM_LENGTH];
    for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
      out[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(out);
  }
}
