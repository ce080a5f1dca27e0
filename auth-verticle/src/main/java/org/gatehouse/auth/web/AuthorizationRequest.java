package org.gatehouse.auth.web;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An authorization request that passed validation and waits, in the browser session, for the user to sign in
 * and consent.
 *
 * @param redirectUriSent whether the request carried {@code redirect_uri} (else {@code redirectUri} is the one the
 *     client registered)
 * @param prompt the OIDC {@code prompt} values, space-separated, or null
 * @param loginHint the localpart from {@code login_hint=mxid:@user:server}, or null
 */
public record AuthorizationRequest(String id, String clientId, String redirectUri, boolean redirectUriSent,
                                   String responseMode, String state,
                                   String scope, String codeChallenge, String nonce, String prompt, String loginHint,
                                   Instant createdAt) {
  public boolean prompts(String value) {
    return prompt != null && java.util.List.of(prompt.split(" ")).contains(value);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("client_id", clientId).put("redirect_uri", redirectUri)
        .put("redirect_uri_sent", redirectUriSent)
        .put("response_mode", responseMode).put("state", state).put("scope", scope).put("code_challenge", codeChallenge)
        .put("nonce", nonce).put("prompt", prompt).put("login_hint", loginHint)
        .put("created_at", createdAt.toEpochMilli());
  }

  public static AuthorizationRequest fromJson(JsonObject json) {
    return new AuthorizationRequest(json.getString("id"), json.getString("client_id"), json.getString("redirect_uri"),
        json.getBoolean("redirect_uri_sent", true), json.getString("response_mode"), json.getString("state"), json.getString("scope"),
        json.getString("code_challenge"), json.getString("nonce"), json.getString("prompt"), json.getString("login_hint"),
        Instant.ofEpochMilli(json.getLong("created_at")));
  }
}
