package org.gatehouse.auth.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Hashes for secrets at rest (tokens, codes, client secrets) and constant-time comparison. */
public final class Digests {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Digests() {
  }

  /**
   * SHA-256 of a high-entropy secret. Tokens and codes are random, so a fast hash is enough to make a stolen
   * database useless, and it keeps lookups by hash cheap.
   */
  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean equalsConstantTime(byte[] a, byte[] b) {
    return a != null && b != null && MessageDigest.isEqual(a, b);
  }

  /** Whether {@code secret} hashes to {@code expected}, compared in constant time. */
  public static boolean matches(String secret, byte[] expected) {
    return secret != null && equalsConstantTime(sha256(secret), expected);
  }

  /** A random string of {@code length} alphanumerics (about 5.95 bits each). */
  public static String randomAlphanumeric(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
