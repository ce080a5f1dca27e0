package org.gatehouse.auth.oauth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.common.auth.Authenticator;

/**
 * {@code /oauth2/userinfo} (OpenID Connect): who the access token's user is. It is an OAuth protected resource, so
 * its refusals are RFC 6750 challenges ({@code WWW-Authenticate: Bearer error=...}), not Matrix errors: an unknown,
 * revoked or expired token, and the token of a locked account (MSC3939 locks every authenticated endpoint; the
 * homeserver's introspection already answers such tokens {@code active: false}), are {@code 401 invalid_token}; a
 * token without {@code openid} is {@code 403 insufficient_scope}.
 */
public final class UserInfoEndpoint {
  private final RequesterResolver resolver;
  private final AccountStatusView statuses;
  private final org.gatehouse.auth.domain.UserIds userIds;
  private final Clock clock;

  public UserInfoEndpoint(RequesterResolver resolver, AccountStatusView statuses,
                          org.gatehouse.auth.domain.UserIds userIds, Clock clock) {
    this.resolver = resolver;
    this.statuses = statuses;
    this.userIds = userIds;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    String token = Authenticator.bearerToken(ctx);
    if (token == null) {
      challenge(ctx, "invalid_request", "an access token is required");
      return;
    }
    resolver.activeGrant(token, clock.instant()).onComplete(result -> {
      if (result.failed()) {
        challenge(ctx, "invalid_token", "the access token is not valid");
        return;
      }
      var grant = result.result();
      if (statuses.of(userIds.of(grant.localpart())).locked()) {
        challenge(ctx, "invalid_token", "the account is locked");
        return;
      }
      if (!java.util.List.of(grant.scope().split(" ")).contains("openid")) {
        ctx.response().setStatusCode(403)
            .putHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"openid\"").end();
        return;
      }
      OAuthResponses.json(ctx, 200, new JsonObject()
          .put("sub", grant.userId().toString())
          .put("preferred_username", grant.localpart())
          .put("urn:matrix:user_id", userIds.of(grant.localpart())));
    });
  }

  /** RFC 6750 §3: a bearer-token failure is a 401 with a challenge, not an error body. */
  private static void challenge(RoutingContext ctx, String error, String description) {
    ctx.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", "Bearer error=\"" + error + "\", error_description=\"" + description + "\"")
        .putHeader("Cache-Control", "no-store")
        .end();
  }
}
