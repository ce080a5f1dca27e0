package org.gatehouse.auth.oauth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Successful responses of OAuth endpoints: JSON that no cache may keep (RFC 6749 §5.1). */
public final class OAuthResponses {
  private OAuthResponses() {
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache")
        .end(body.encode());
  }
}
