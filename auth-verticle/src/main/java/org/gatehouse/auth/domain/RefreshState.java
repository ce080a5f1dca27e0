package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A refresh token with its session and its successor, locked for the duration of a refresh so that concurrent
 * refreshes of the same token are decided one after the other.
 */
public record RefreshState(UUID refreshId, UUID sessionId, Instant consumedAt, Instant revokedAt, UUID nextId,
                           boolean nextUsed, String clientId, UUID userId, String localpart, boolean userAdmin,
                           Instant userDeactivatedAt, String deviceId, String scope, Instant sessionFinishedAt) {
}
