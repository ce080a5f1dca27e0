package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What an authorization code stands for until it is exchanged (once) for tokens.
 *
 * @param redirectUri the redirect URI the code was sent to (the one registered when the request named none)
 * @param redirectUriSent whether the authorization request carried {@code redirect_uri}; only then must the token
 *     request repeat it (RFC 6749 §4.1.3)
 */
public record CodeGrant(byte[] codeHash, String clientId, UUID userId, String redirectUri, boolean redirectUriSent,
                        String scope, String codeChallenge, String nonce, Instant authTime, Instant createdAt,
                        Instant expiresAt, Instant exchangedAt, UUID sessionId) {
}
