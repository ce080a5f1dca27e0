package org.gatehouse.auth.oauth;

import io.vertx.core.json.JsonObject;
import org.gatehouse.auth.domain.RegistrationRejected;

/**
 * The one OAuth error type: an RFC 6749 {@code error} code, a description and the HTTP status. Rendered only by
 * {@link OAuthErrorRenderer}, never as a Matrix error: a client that saw {@code errcode} on an OAuth endpoint
 * would take it for a Matrix failure and might not log the user out.
 */
public final class OAuthError extends RuntimeException {
  private final int status;
  private final String error;
  /** Set when the client tried HTTP Basic authentication: the 401 must then carry a challenge (RFC 6749 §5.2). */
  private final boolean basicChallenge;
  /** Seconds for {@code Retry-After}, or 0. */
  private final long retryAfterSeconds;

  public OAuthError(int status, String error, String description) {
    this(status, error, description, false, 0);
  }

  private OAuthError(int status, String error, String description, boolean basicChallenge, long retryAfterSeconds) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
    this.basicChallenge = basicChallenge;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String description() {
    return getMessage();
  }

  public boolean basicChallenge() {
    return basicChallenge;
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", error).put("error_description", description());
  }

  public static OAuthError invalidRequest(String description) {
    return new OAuthError(400, "invalid_request", description);
  }

  public static OAuthError invalidClient(String description, boolean triedBasic) {
    return new OAuthError(401, "invalid_client", description, triedBasic, 0);
  }

  public static OAuthError invalidGrant(String description) {
    return new OAuthError(400, "invalid_grant", description);
  }

  public static OAuthError unauthorizedClient(String description) {
    return new OAuthError(400, "unauthorized_client", description);
  }

  public static OAuthError unsupportedGrantType(String description) {
    return new OAuthError(400, "unsupported_grant_type", description);
  }

  public static OAuthError invalidScope(String description) {
    return new OAuthError(400, "invalid_scope", description);
  }

  public static OAuthError invalidRedirectUri(String description) {
    return new OAuthError(400, "invalid_redirect_uri", description);
  }

  public static OAuthError invalidClientMetadata(String description) {
    return new OAuthError(400, "invalid_client_metadata", description);
  }

  /** A refused client registration (RFC 7591 §3.2.2): its reason is the description. */
  public static OAuthError of(RegistrationRejected rejected) {
    return switch (rejected.kind()) {
      case REDIRECT_URI -> invalidRedirectUri(rejected.reason());
      case CLIENT_METADATA -> invalidClientMetadata(rejected.reason());
    };
  }

  public static OAuthError invalidToken(String description) {
    return new OAuthError(401, "invalid_token", description);
  }

  public static OAuthError temporarilyUnavailable(String description) {
    return new OAuthError(503, "temporarily_unavailable", description);
  }

  /** 503 with {@code Retry-After}: a service this answer depends on is away for now. */
  public static OAuthError temporarilyUnavailable(String description, long retryAfterSeconds) {
    return new OAuthError(503, "temporarily_unavailable", description, false, Math.max(1, retryAfterSeconds));
  }

  /** 429: too many requests from this client or address; retry after {@code seconds}. */
  public static OAuthError rateLimited(long seconds) {
    return new OAuthError(429, "temporarily_unavailable", "Too many requests; retry later", false, Math.max(1, seconds));
  }

  public static OAuthError serverError() {
    return new OAuthError(500, "server_error", "Internal server error");
  }
}
