package org.gatehouse.auth.oauth.grants;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.oauth.FormParams;

/** One grant type of the token endpoint. */
public interface GrantHandler {
  /** The {@code grant_type} value this handler serves. */
  String grantType();

  /** Exchanges the grant for tokens; the body of a successful token response, or an {@code OAuthError}. */
  Future<JsonObject> exchange(RoutingContext ctx, FormParams form, Client client);
}
