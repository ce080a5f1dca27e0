package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An authorization code (RFC 6749 §4.1) and its state machine:
 *
 * <pre>
 *   pending ──exchange──▶ exchanged
 *      └──(expires_at passes)──▶ expired   (a view of time, not a stored state)
 * </pre>
 *
 * A code is exchanged once, by the client it was issued to, with the redirect URI and the verifier of its request,
 * within its lifetime ({@link #redeem}). Presenting an exchanged code again is replay, and the session it created
 * must end (RFC 6749 §4.1.2: a replayed code means the code leaked).
 *
 * <p>Pure: {@link #redeem} decides, {@link #exchange} returns the next state or refuses; storing them is the store's
 * job.
 *
 * @param redirectUri the redirect URI the code was sent to (the one registered when the request named none)
 * @param redirectUriSent whether the authorization request carried {@code redirect_uri}; only then must the token
 *     request repeat it (RFC 6749 §4.1.3)
 */
public record CodeGrant(byte[] codeHash, String clientId, UUID userId, String redirectUri, boolean redirectUriSent,
                        String scope, String codeChallenge, String nonce, Instant authTime, Instant createdAt,
                        Instant expiresAt, CodeState state) {

  /** Where a code is in its life. */
  public sealed interface CodeState permits Pending, Exchanged {
  }

  /** Issued and not used yet. */
  public record Pending() implements CodeState {
  }

  /** Exchanged at {@code at} for tokens of the session {@code sessionId} (null if that session is gone). */
  public record Exchanged(Instant at, UUID sessionId) implements CodeState {
  }

  /** What presenting the code at the token endpoint comes to. */
  public sealed interface Redemption permits Redeemable, Replayed, Refused {
  }

  /** Every check passed: the code may be exchanged. */
  public record Redeemable() implements Redemption {
  }

  /** The code was exchanged before: replay; {@code sessionId} is the session to end (null if none is left). */
  public record Replayed(UUID sessionId) implements Redemption {
  }

  /** The code cannot be exchanged, and stays as it is. */
  public record Refused(Refusal refusal) implements Redemption {
  }

  /** Why a pending code is refused, in the order the checks are made. */
  public enum Refusal {
    EXPIRED,
    /** Issued to another client. */
    OTHER_CLIENT,
    /** The authorization request carried {@code redirect_uri}, the token request does not. */
    REDIRECT_URI_MISSING,
    /** The token request names another redirect URI than the authorization request. */
    REDIRECT_URI_DIFFERS,
    /** The PKCE verifier does not hash to the challenge. */
    VERIFIER_MISMATCH
  }

  /** A new, pending code. */
  public static CodeGrant issued(byte[] codeHash, String clientId, UUID userId, String redirectUri,
                                 boolean redirectUriSent, String scope, String codeChallenge, String nonce,
                                 Instant authTime, Instant createdAt, Instant expiresAt) {
    return new CodeGrant(codeHash, clientId, userId, redirectUri, redirectUriSent, scope, codeChallenge, nonce,
        authTime, createdAt, expiresAt, new Pending());
  }

  public boolean expiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }

  public boolean exchanged() {
    return state instanceof Exchanged;
  }

  /** Whether {@code clientId} could still exchange the code at {@code now} (its request not yet checked). */
  public boolean usableBy(String clientId, Instant now) {
    return !exchanged() && !expiredAt(now) && this.clientId.equals(clientId);
  }

  /**
   * What a token request by {@code clientId} with {@code redirectUri} (null: not sent) and {@code verifier} at
   * {@code now} comes to. Replay is decided first, whoever presents the code.
   */
  public Redemption redeem(String clientId, String redirectUri, String verifier, Instant now) {
    if (state instanceof Exchanged exchanged) {
      return new Replayed(exchanged.sessionId());
    }
    if (expiredAt(now)) {
      return new Refused(Refusal.EXPIRED);
    }
    if (!this.clientId.equals(clientId)) {
      return new Refused(Refusal.OTHER_CLIENT);
    }
    if (redirectUri == null && redirectUriSent) {
      return new Refused(Refusal.REDIRECT_URI_MISSING);
    }
    if (redirectUri != null && !this.redirectUri.equals(redirectUri)) {
      return new Refused(Refusal.REDIRECT_URI_DIFFERS);
    }
    if (!Pkce.verify(verifier, codeChallenge)) {
      return new Refused(Refusal.VERIFIER_MISMATCH);
    }
    return new Redeemable();
  }

  /** The code once exchanged at {@code at} for the session {@code sessionId}; only a pending, unexpired code can be. */
  public CodeGrant exchange(UUID sessionId, Instant at) {
    if (exchanged()) {
      throw new IllegalStateException("the code was already exchanged");
    }
    if (expiredAt(at)) {
      throw new IllegalStateException("the code has expired");
    }
    return new CodeGrant(codeHash, clientId, userId, redirectUri, redirectUriSent, scope, codeChallenge, nonce,
        authTime, createdAt, expiresAt, new Exchanged(at, sessionId));
  }
}
