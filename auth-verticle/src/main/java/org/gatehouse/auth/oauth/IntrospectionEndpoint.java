package org.gatehouse.auth.oauth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.AccessGrant;
import org.gatehouse.auth.domain.RefreshState;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.auth.store.RefreshTokenStore;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.homeserver.ServiceAdminTokens;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) for the homeserver. The caller presents the configured shared
 * secret as a bearer token, or authenticates as a client allowed to introspect. Revoked, expired, deactivated
 * and locked tokens are {@code {"active": false}}, and so is a token of the other kind than its
 * {@code token_type_hint} names; a suspended account is active with {@code "org.gatehouse.suspended": true} so the
 * homeserver can make it read-only. For the homeserver alone, the tokens of Gatehouse's service account
 * ({@link ServiceAdminTokens}) are active, with the admin scope and no device: that is how the homeserver lets the
 * connector use its admin API.
 */
public final class IntrospectionEndpoint {
  public static final String SUSPENDED_FIELD = "org.gatehouse.suspended";

  private final ClientAuthenticator clientAuthenticator;
  private final Optional<byte[]> sharedSecretDigest;
  private final RequesterResolver resolver;
  private final RefreshTokenStore refreshTokens;
  private final AccountStatusView statuses;
  private final org.gatehouse.auth.domain.UserIds userIds;
  private final Clock clock;
  private final Optional<ServiceAdminTokens> serviceTokens;

  public IntrospectionEndpoint(ClientAuthenticator clientAuthenticator, Optional<String> sharedSecret,
                               RequesterResolver resolver, RefreshTokenStore refreshTokens, AccountStatusView statuses,
                               org.gatehouse.auth.domain.UserIds userIds, Clock clock,
                               Optional<ServiceAdminTokens> serviceTokens) {
    this.clientAuthenticator = clientAuthenticator;
    this.sharedSecretDigest = sharedSecret.map(s -> Digests.sha256(s));
    this.resolver = resolver;
    this.refreshTokens = refreshTokens;
    this.statuses = statuses;
    this.userIds = userIds;
    this.clock = clock;
    this.serviceTokens = serviceTokens;
  }

  public void handle(RoutingContext ctx) {
    FormParams form = FormParams.body(ctx);
    String token = form.required("token");
    TokenFormat hinted = hintedFormat(form.optional("token_type_hint"));
    authorizeCaller(ctx, form)
        .compose(homeserver -> homeserver ? serviceAnswer(token, hinted).map(Future::succeededFuture)
            .orElseGet(() -> introspect(token, hinted)) : introspect(token, hinted))
        .onSuccess(body -> OAuthResponses.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  /** Completes with true when the caller is the homeserver (it presented the shared secret), false for a client. */
  private Future<Boolean> authorizeCaller(RoutingContext ctx, FormParams form) {
    String bearer = Authenticator.bearerToken(ctx);
    if (bearer != null) {
      // Compared as digests, in constant time: the secret's length and content stay hidden.
      boolean ok = sharedSecretDigest.isPresent()
          && Digests.equalsConstantTime(Digests.sha256(bearer), sharedSecretDigest.get());
      return ok ? Future.succeededFuture(true)
          : Future.failedFuture(OAuthError.invalidClient("wrong introspection secret", false));
    }
    return clientAuthenticator.authenticate(ctx, form).compose(client -> client.mayIntrospect()
        ? Future.succeededFuture(false)
        : Future.failedFuture(new OAuthError(403, "access_denied", "this client may not introspect tokens")));
  }

  /** The answer for a service account token still good now, or empty for any other token. */
  private Optional<JsonObject> serviceAnswer(String token, TokenFormat hinted) {
    if (serviceTokens.isEmpty() || !(hinted == null || hinted == TokenFormat.ACCESS)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    ServiceAdminTokens service = serviceTokens.get();
    return service.expiryOf(token, now).map(expiry -> new JsonObject()
        .put("active", true)
        // The API scope as well: the homeserver lets no token without it near its API, admin or not.
        .put("scope", Scope.withBothMatrixForms(Scope.API + " " + Scope.ADMIN))
        .put("username", service.localpart())
        .put("sub", userIds.of(service.localpart()).toString())
        .put("token_type", "Bearer")
        .put("exp", expiry.getEpochSecond())
        .put("expires_in", Math.max(0, Duration.between(now, expiry).getSeconds())));
  }

  /**
   * The token kind {@code token_type_hint} names, or null for no hint. A hint is a promise about the token, and a
   * token of the other kind is {@code {"active": false}} (as the reference service answers): the homeserver always
   * sends {@code access_token}, and a refresh token must not pass there as a bearer. RFC 7662 §2.1 would have the
   * search extended to the other kinds; that serves lookup speed, not a resource server that only ever accepts
   * access tokens, so it is not done. A value this server does not know (e.g. {@code pct}) is ignored, as §2.1
   * allows: the token is introspected as if no hint were given.
   */
  static TokenFormat hintedFormat(String hint) {
    if (hint == null) {
      return null;
    }
    return switch (hint) {
      case "access_token" -> TokenFormat.ACCESS;
      case "refresh_token" -> TokenFormat.REFRESH;
      default -> null;
    };
  }

  private Future<JsonObject> introspect(String token, TokenFormat hinted) {
    Instant now = clock.instant();
    TokenFormat format = TokenFormat.of(token);
    if (hinted != null && format != hinted) {
      // Before any lookup: an access token introspected as a refresh token is not counted as used either.
      return Future.succeededFuture(inactive());
    }
    if (format == TokenFormat.ACCESS) {
      return resolver.grantOf(token).compose(grant -> {
        JsonObject answer = grant == null ? inactive() : accessAnswer(grant, now);
        // The homeserver introspects the tokens clients present to it: that is their use.
        return answer.getBoolean("active") ? resolver.recordFirstUse(token, grant, now).map(answer)
            : Future.succeededFuture(answer);
      });
    }
    if (format == TokenFormat.REFRESH) {
      return refreshTokens.find(Digests.sha256(token)).map(state -> state.map(s -> refreshAnswer(s)).orElse(inactive()));
    }
    return Future.succeededFuture(inactive());
  }

  private JsonObject accessAnswer(AccessGrant grant, Instant now) {
    AccountStatus status = statuses.of(userIds.of(grant.localpart()));
    if (!grant.activeAt(now) || status.locked()) {
      return inactive();
    }
    return new JsonObject()
        .put("active", true)
        // Both Matrix forms for the homeserver; what the client asked for stays what the token endpoint told it.
        .put("scope", Scope.withBothMatrixForms(RequesterResolver.effectiveScope(grant.scope(), grant.userAdmin())))
        .put("client_id", grant.clientId())
        .put("username", grant.localpart())
        .put("sub", grant.userId().toString())
        // Explicit whether or not the caller sends X-MAS-Supports-Device-Id: 1 (Synapse always does, and reads
        // device_id before the scope). The reference service omits it without that header and leaves the device
        // to the scope; here existing callers read it without the header (interop/oauth-oauth4webapi-strict.mjs),
        // and it always agrees with the device scope, so it is kept for every caller.
        .put("device_id", grant.deviceId())
        .put("token_type", "Bearer")
        .put("iat", grant.createdAt().getEpochSecond())
        .put("exp", grant.expiresAt().getEpochSecond())
        .put("expires_in", Math.max(0, Duration.between(now, grant.expiresAt()).getSeconds()))
        .put(SUSPENDED_FIELD, status.suspended());
  }

  /**
   * A refresh token, introspected without a hint, is described (whose, which client and device, still usable or
   * not) but names no scope. It is no bearer credential anywhere, and this answer has no {@code expires_in}, which
   * the homeserver reads as "never expires": with its Matrix API scope, a resource server that sends no hint
   * would take it as a permanent access token. Without a scope it is refused by the homeserver ("Token doesn't
   * grant access to the Matrix C-S API") and by any resource server that checks scope; RFC 7662 makes
   * {@code scope} optional, so strict clients accept the answer. The granted scope is what the token endpoint
   * answers when the token is used.
   */
  private JsonObject refreshAnswer(RefreshState state) {
    AccountStatus status = statuses.of(userIds.of(state.localpart()));
    boolean active = state.revokedAt() == null && state.consumedAt() == null && state.sessionFinishedAt() == null
        && state.userDeactivatedAt() == null && !status.locked();
    if (!active) {
      return inactive();
    }
    return new JsonObject()
        .put("active", true)
        .put("client_id", state.clientId())
        .put("username", state.localpart())
        .put("sub", state.userId().toString())
        .put("device_id", state.deviceId())
        .put("token_type", "refresh_token")
        .put(SUSPENDED_FIELD, status.suspended());
  }

  private static JsonObject inactive() {
    return new JsonObject().put("active", false);
  }
}
