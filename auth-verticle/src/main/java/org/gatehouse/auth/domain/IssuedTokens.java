package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/** A freshly issued access/refresh pair; the plaintext exists only here and in the response. */
public record IssuedTokens(String accessToken, String refreshToken, UUID accessTokenId, UUID refreshTokenId,
                           Instant expiresAt) {
}
