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
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.auth.Authenticator;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) for the homeserver. The caller presents the configured shared
 * secret as a bearer token, or authenticates as a client allowed to introspect. Revoked, expired, deactivated
 * and locked tokens are {@code {"active": false}}; a suspended account is active with
 * {@code "org.gatehouse.suspended": true} so the homeserver can make it read-only.
 */
public final class IntrospectionEndpoint {
  public static final String SUSPENDED_FIELD = "org.gatehouse.suspended";

  private final ClientAuthenticator clientAuthenticator;
  private final Optional<byte[]> sharedSecretDigest;
  private final RequesterResolver resolver;
  private final SessionStore sessions;
  private final AccountStatusView statuses;
  private final org.gatehouse.auth.domain.UserIds userIds;
  private final Clock clock;

  public IntrospectionEndpoint(ClientAuthenticator clientAuthenticator, Optional<String> sharedSecret,
                               RequesterResolver resolver, SessionStore sessions, AccountStatusView statuses,
                               org.gatehouse.auth.domain.UserIds userIds, Clock clock) {
    this.clientAuthenticator = clientAuthenticator;
    this.sharedSecretDigest = sharedSecret.map(s -> Digests.sha256(s));
    this.resolver = resolver;
    this.sessions = sessions;
    this.statuses = statuses;
    this.userIds = userIds;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    FormParams form = FormParams.body(ctx);
    String token = form.required("token");
    authorizeCaller(ctx, form)
        .compose(allowed -> introspect(token))
        .onSuccess(body -> OAuthResponses.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private Future<Void> authorizeCaller(RoutingContext ctx, FormParams form) {
    String bearer = Authenticator.bearerToken(ctx);
    if (bearer != null) {
      // Compared as digests, in constant time: the secret's length and content stay hidden.
      boolean ok = sharedSecretDigest.isPresent()
          && Digests.equalsConstantTime(Digests.sha256(bearer), sharedSecretDigest.get());
      return ok ? Future.succeededFuture() : Future.failedFuture(OAuthError.invalidClient("wrong introspection secret", false));
    }
    return clientAuthenticator.authenticate(ctx, form).compose(client -> client.mayIntrospect()
        ? Future.succeededFuture()
        : Future.failedFuture(new OAuthError(403, "access_denied", "this client may not introspect tokens")));
  }

  private Future<JsonObject> introspect(String token) {
    Instant now = clock.instant();
    TokenFormat format = TokenFormat.of(token);
    if (format == TokenFormat.ACCESS) {
      return resolver.grantOf(token).compose(grant -> {
        JsonObject answer = grant == null ? inactive() : accessAnswer(grant, now);
        // The homeserver introspects the tokens clients present to it: that is their use.
        return answer.getBoolean("active") ? resolver.recordFirstUse(token, grant, now).map(answer)
            : Future.succeededFuture(answer);
      });
    }
    if (format == TokenFormat.REFRESH) {
      return sessions.refreshState(Digests.sha256(token)).map(state -> state.map(s -> refreshAnswer(s)).orElse(inactive()));
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
        .put("scope", RequesterResolver.effectiveScope(grant.scope(), grant.userAdmin()))
        .put("client_id", grant.clientId())
        .put("username", grant.localpart())
        .put("sub", grant.userId().toString())
        .put("device_id", grant.deviceId())
        .put("token_type", "Bearer")
        .put("iat", grant.createdAt().getEpochSecond())
        .put("exp", grant.expiresAt().getEpochSecond())
        .put("expires_in", Math.max(0, Duration.between(now, grant.expiresAt()).getSeconds()))
        .put(SUSPENDED_FIELD, status.suspended());
  }

  private JsonObject refreshAnswer(RefreshState state) {
    AccountStatus status = statuses.of(userIds.of(state.localpart()));
    boolean active = state.revokedAt() == null && state.consumedAt() == null && state.sessionFinishedAt() == null
        && state.userDeactivatedAt() == null && !status.locked();
    if (!active) {
      return inactive();
    }
    return new JsonObject()
        .put("active", true)
        .put("scope", RequesterResolver.effectiveScope(state.scope(), state.userAdmin()))
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
