package org.gatehouse.auth.oauth.grants;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.gatehouse.auth.domain.IssuedTokens;

/** The body of a successful token response (RFC 6749 §5.1). */
final class TokenResponses {
  private TokenResponses() {
  }

  static JsonObject of(IssuedTokens tokens, String scope, Instant now) {
    return new JsonObject()
        .put("access_token", tokens.accessToken())
        .put("token_type", "Bearer")
        .put("expires_in", Math.max(0, Duration.between(now, tokens.expiresAt()).getSeconds()))
        .put("refresh_token", tokens.refreshToken())
        .put("scope", scope);
  }
}
