package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.AccessGrant;

/** OAuth access tokens, looked up by their SHA-256 digest only. Digests handed back are hex, as nodes cache them. */
public interface AccessTokenStore {
  /** Creates an access token of the session, issued at {@code at} and valid until {@code expiresAt}. */
  Future<NewToken> add(UUID sessionId, Instant at, Instant expiresAt);

  /** The token with its session and account, whatever their state. */
  Future<Optional<AccessGrant>> grant(byte[] tokenHash);

  /** Records the first use of an access token (a no-op afterwards). */
  Future<Void> markFirstUse(UUID tokenId, Instant at);

  /** Revokes the token (keeping an earlier revocation's time); completes with its digest, empty if it is unknown. */
  Future<Optional<String>> revoke(UUID tokenId, Instant at);

  /**
   * Revokes the access token issued together with a refresh token, if still live. Completes with its digest when it
   * had been used, so may sit in a node's near cache; empty otherwise.
   */
  Future<Optional<String>> revokeIssuedWith(UUID refreshTokenId, Instant at);

  /** Revokes every live access token of the session; completes with their digests. */
  Future<List<String>> revokeAllOfSession(UUID sessionId, Instant at);
}
