package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * OAuth sessions. Ending one also revokes its tokens and may delete its device: the terminator does that, in one
 * {@link Transaction}, with the token and device stores.
 */
public interface SessionStore {
  Future<UUID> create(UUID userId, String deviceId, String clientId, String scope);

  /** A session that {@link #finish} just ended: whose it was and which device it used (null for none). */
  record Finished(UUID userId, String localpart, String deviceId) {
  }

  /** Marks an open session finished at {@code at}; empty if it was not open (unknown or already finished). */
  Future<Optional<Finished>> finish(UUID sessionId, String reason, Instant at);

  /** The open sessions on a device. */
  Future<List<UUID>> openOfDevice(UUID userId, String deviceId);

  /** The open sessions of a user. */
  Future<List<UUID>> openOfUser(UUID userId);

  /** An open session as account administration lists it. */
  record OpenSession(UUID sessionId, String clientId, String clientName, String deviceId, String scope,
                     Instant createdAt) {
  }

  /** The open sessions of a user, newest first. */
  Future<List<OpenSession>> openSessions(UUID userId);

  /** The session an access or refresh token belongs to, whatever its state. */
  Future<Optional<UUID>> sessionOfToken(byte[] tokenHash);
}
