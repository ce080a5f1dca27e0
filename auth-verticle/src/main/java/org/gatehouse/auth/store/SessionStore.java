package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.AccessGrant;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.RefreshState;
import org.gatehouse.auth.domain.SessionEnd;

/**
 * OAuth sessions and their tokens. Tokens are looked up by their SHA-256 digest only.
 * The {@code lock*} methods lock what they read until the end of the {@link Transaction} they are called in.
 */
public interface SessionStore {
  Future<UUID> createSession(UUID userId, String deviceId, String clientId, String scope);

  Future<IssuedTokens> issueTokens(UUID sessionId, Duration accessLifetime);

  Future<Optional<AccessGrant>> accessGrant(byte[] tokenHash);

  /** Records the first use of an access token (a no-op afterwards). */
  Future<Void> markFirstUse(UUID tokenId, Instant at);

  Future<Optional<RefreshState>> lockRefreshToken(byte[] tokenHash);

  /** The state of a refresh token, without locking it (for introspection). */
  Future<Optional<RefreshState>> refreshState(byte[] tokenHash);

  /** Marks a refresh token used, with {@code nextId} as its successor. */
  Future<Void> setSuccessor(UUID refreshId, UUID nextId, Instant at);

  /**
   * Revokes an unused successor pair (refresh token and its access token) that is being replaced. Completes with
   * the access token's digest (hex): "unused" was read under a lock on the refresh token only, so a first use of
   * the access token may have raced it and left it in a node's near cache.
   */
  Future<Optional<String>> revokeUnusedPair(UUID refreshId, Instant at);

  /**
   * Revokes the access token issued together with a refresh token that is being exchanged, if still live.
   * Completes with its digest (hex) when it had been used, so may sit in a node's near cache; empty otherwise.
   */
  Future<Optional<String>> revokeAccessTokenOf(UUID refreshId, Instant at);

  /** Ends a session: revokes its tokens and deletes its device if no other open session uses it. */
  Future<Optional<SessionEnd>> finishSession(UUID sessionId, String reason);

  /** Ends every open session of a device (the device itself is deleted by the caller). */
  Future<List<SessionEnd>> finishSessionsOfDevice(UUID userId, String deviceId, String reason);

  /** Ends every open session of a user. */
  Future<List<SessionEnd>> finishSessionsOfUser(UUID userId, String reason);

  /** An open session as account administration lists it. */
  record OpenSession(UUID sessionId, String clientId, String clientName, String deviceId, String scope,
                     Instant createdAt) {
  }

  /** The open sessions of a user, newest first. */
  Future<List<OpenSession>> openSessions(UUID userId);

  /** The session an access or refresh token belongs to, whatever its state. */
  Future<Optional<UUID>> sessionOfToken(byte[] tokenHash);
}
