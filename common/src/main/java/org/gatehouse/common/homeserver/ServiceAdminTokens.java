package org.gatehouse.common.homeserver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The access tokens of Gatehouse's service account at the homeserver: the account the connector acts as on the
 * homeserver's admin API (Synapse's {@code PUT /_synapse/admin/v1/suspend/...}), which Synapse authorizes by
 * introspecting the token at Gatehouse like any other. A token is an HMAC of the secret Gatehouse shares with the
 * homeserver over the service account's name and a one-hour window, so every node mints and recognizes the same
 * tokens without storing any; a token is good for the window it was minted in and the next, so nodes whose clocks
 * differ by less than an hour agree. Only introspection by the homeserver (the caller that presents the shared
 * secret) answers it as active.
 */
public final class ServiceAdminTokens {
  public static final String PREFIX = "gsa_";
  static final Duration WINDOW = Duration.ofHours(1);

  private final SecretKeySpec key;
  private final String localpart;

  public ServiceAdminTokens(String sharedSecret, String localpart) {
    this.key = new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.localpart = localpart;
  }

  /** The service account's localpart at the homeserver. */
  public String localpart() {
    return localpart;
  }

  /** A token for now. */
  public String mint(Instant now) {
    return tokenOf(windowOf(now));
  }

  /**
   * When {@code token} stops being good, if it is one of this service account's tokens still good {@code now}; the
   * comparison takes the same time whatever the token.
   */
  public Optional<Instant> expiryOf(String token, Instant now) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    long window = windowOf(now);
    byte[] presented = token.getBytes(StandardCharsets.UTF_8);
    boolean current = MessageDigest.isEqual(presented, tokenOf(window).getBytes(StandardCharsets.UTF_8));
    boolean previous = MessageDigest.isEqual(presented, tokenOf(window - 1).getBytes(StandardCharsets.UTF_8));
    if (current) {
      return Optional.of(startOf(window + 2));
    }
    return previous ? Optional.of(startOf(window + 1)) : Optional.empty();
  }

  private String tokenOf(long window) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal(("gatehouse service admin token v1\n" + localpart + "\n" + window)
          .getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  private static long windowOf(Instant now) {
    return Math.floorDiv(now.getEpochSecond(), WINDOW.getSeconds());
  }

  private static Instant startOf(long window) {
    return Instant.ofEpochSecond(window * WINDOW.getSeconds());
  }

  @Override
  public String toString() {
    return "ServiceAdminTokens[localpart=" + localpart + ", key=(hidden)]";
  }
}
