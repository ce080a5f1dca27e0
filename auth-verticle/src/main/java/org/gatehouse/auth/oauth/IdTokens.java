package org.gatehouse.auth.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.gatehouse.auth.crypto.SigningKeys;
import org.gatehouse.auth.domain.Client;

/** OpenID Connect ID tokens, issued with the tokens of an {@code openid} grant. */
public final class IdTokens {
  static final Duration LIFETIME = Duration.ofHours(1);

  private final String issuer;
  private final SigningKeys keys;
  private final String defaultAlgorithm;
  private final Clock clock;

  public IdTokens(String issuer, SigningKeys keys, String defaultAlgorithm, Clock clock) {
    this.issuer = issuer;
    this.keys = keys;
    this.defaultAlgorithm = defaultAlgorithm;
    this.clock = clock;
  }

  public String issue(Client client, UUID subject, Instant authTime, String nonce, String accessToken) {
    String alg = client.metadata().idTokenSignedResponseAlg() != null ? client.metadata().idTokenSignedResponseAlg()
        : defaultAlgorithm;
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject.toString())
        .audience(client.clientId())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(LIFETIME)))
        .claim("auth_time", authTime.getEpochSecond())
        .claim("at_hash", leftHalfHash(accessToken));
    if (nonce != null) {
      claims.claim("nonce", nonce);
    }
    return keys.sign(claims.build(), alg);
  }

  /** {@code at_hash}: the left half of the SHA-256 of the access token, base64url (both algorithms use SHA-256). */
  static String leftHalfHash(String accessToken) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
