package org.gatehouse.auth.oauth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.common.auth.Authenticator;

/** {@code /oauth2/userinfo} (OpenID Connect): who the access token's user is. */
public final class UserInfoEndpoint {
  private final RequesterResolver resolver;
  private final org.gatehouse.auth.domain.UserIds userIds;
  private final Clock clock;

  public UserInfoEndpoint(RequesterResolver resolver, org.gatehouse.auth.domain.UserIds userIds, Clock clock) {
    this.resolver = resolver;
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
