package org.gatehouse.admin.matrix;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.common.auth.Authenticator;

/**
 * {@code GET /_matrix/client/v3/capabilities}: what Gatehouse adds to the homeserver's capabilities. A requester
 * with admin powers ({@link org.gatehouse.common.auth.Requester#admin()}: the admin flag and the scope
 * {@code urn:synapse:admin:*}, the same rule as the MSC4323 endpoints themselves) sees {@code m.account_moderation}
 * (and the unstable {@code uk.timedout.msc4323}); anybody else an empty set, as MSC4323 asks not to advertise the capability when both flags would be false. The homeserver
 * answers this path with its own capabilities, so a deployment routes it here only when its proxy merges the two.
 */
public final class CapabilitiesHandler implements Handler<RoutingContext> {
  public static final String STABLE = "m.account_moderation";
  public static final String UNSTABLE = "uk.timedout.msc4323";

  private final Authenticator authenticator;

  public CapabilitiesHandler(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticator.authenticate(ctx, Authenticator.Access.READ)
        .onSuccess(requester -> {
          JsonObject capabilities = new JsonObject();
          if (requester.admin()) {
            JsonObject moderation = new JsonObject().put("suspend", true).put("lock", true);
            capabilities.put(STABLE, moderation).put(UNSTABLE, moderation.copy());
          }
          ctx.json(new JsonObject().put("capabilities", capabilities));
        })
        .onFailure(ctx::fail);
  }
}
