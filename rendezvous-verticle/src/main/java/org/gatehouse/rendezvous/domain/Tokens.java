package org.gatehouse.rendezvous.domain;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids and tokens: 128 random bits, base64url without padding (22 characters, safe in paths, QR codes and
 * quoted ETags). The id is the only capability a reader or writer needs, so it must be unguessable; tokens change
 * on every write and so make ETags depend on the write, not only on the content.
 */
public final class Tokens {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  // One generator per thread: SecureRandom is thread-safe but contended when every event loop creates ids.
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

  private Tokens() {
  }

  public static String newId() {
    return random();
  }

  public static String newToken() {
    return random();
  }

  private static String random() {
    byte[] bytes = new byte[16];
    RANDOM.get().nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
