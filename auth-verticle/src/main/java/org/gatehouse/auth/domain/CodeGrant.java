package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/** What an authorization code stands for until it is exchanged (once) for tokens. */
public record CodeGrant(byte[] codeHash, String clientId, UUID userId, String redirectUri, String scope,
                        String codeChallenge, String nonce, Instant authTime, Instant createdAt, Instant expiresAt,
                        Instant exchangedAt, UUID sessionId) {
}
