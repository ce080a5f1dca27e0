package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What an access token stands for, as loaded for requester resolution and introspection.
 *
 * @param firstUsedAt when the token was first presented (refresh rotation needs to know if a response was lost)
 */
public record AccessGrant(UUID tokenId, UUID sessionId, UUID userId, String localpart, boolean userAdmin,
                          Instant userDeactivatedAt, String deviceId, String clientId, String scope,
                          Instant createdAt, Instant expiresAt, Instant revokedAt, Instant sessionFinishedAt,
                          Instant firstUsedAt) {
  /** Usable at {@code now}: not revoked, session open, account active, not expired. */
  public boolean activeAt(Instant now) {
    return revokedAt == null && sessionFinishedAt == null && userDeactivatedAt == null && expiresAt.isAfter(now);
  }

  public boolean expiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }
}
