package org.gatehouse.auth.domain;

import java.util.List;
import java.util.UUID;

/**
 * What ending a session did, for the facts that follow: which cached tokens to forget on every node, and
 * whether its device went with it.
 */
public record SessionEnd(UUID sessionId, UUID userId, String localpart, String deviceId, boolean deviceDeleted,
                         List<String> accessTokenHashes) {
}
