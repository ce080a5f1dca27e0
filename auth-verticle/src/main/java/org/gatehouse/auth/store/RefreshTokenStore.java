package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.RefreshState;

/** OAuth refresh tokens, looked up by their SHA-256 digest only. */
public interface RefreshTokenStore {
  /** Creates a refresh token of the session, issued at {@code at} together with the access token {@code accessTokenId}. */
  Future<NewToken> add(UUID sessionId, UUID accessTokenId, Instant at);

  /** The token's state, locked (the token row) until the end of the {@link Transaction} this is called in. */
  Future<Optional<RefreshState>> lock(byte[] tokenHash);

  /** The token's state, without locking it (for introspection). */
  Future<Optional<RefreshState>> find(byte[] tokenHash);

  /** Marks a refresh token used, with {@code nextId} as its successor. */
  Future<Void> setSuccessor(UUID refreshId, UUID nextId, Instant at);

  /** Revokes the token; completes with the id of the access token issued with it, empty if it is unknown. */
  Future<Optional<UUID>> revoke(UUID refreshId, Instant at);

  /** Revokes every live refresh token of the session. */
  Future<Void> revokeAllOfSession(UUID sessionId, Instant at);
}
