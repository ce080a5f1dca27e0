package org.gatehouse.admin.matrix;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientAnswer;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientRequest;
import org.gatehouse.common.http.MatrixError;

/**
 * {@code GET /_matrix/client/v3/capabilities} (and {@code r0}): what Gatehouse adds to the homeserver's
 * capabilities. A requester with admin powers ({@link Requester#admin()}: the admin flag and the scope
 * {@code urn:synapse:admin:*}, the same rule as the MSC4323 endpoints themselves) sees {@code m.account_moderation}
 * (and the unstable {@code uk.timedout.msc4323}); anybody else does not, as MSC4323 asks not to advertise the
 * capability when both flags would be false.
 *
 * <p>Standalone these are the whole answer. In front of a homeserver (the proxy sends these paths to Gatehouse) the
 * answer is the homeserver's for this requester, asked with the client's token, with Gatehouse's two entries set by
 * Gatehouse: added for an admin, removed for anyone else (the moderation endpoints are Gatehouse's, whatever the
 * homeserver would say of its own). The homeserver's refusal (a bad or missing token) is passed on as it is; no
 * answer from it is a {@code 503} with a retry delay. A token the homeserver accepts but Gatehouse does not (an
 * appservice's, one in the query string, which Gatehouse never accepts) gets the homeserver's answer alone.
 */
public final class CapabilitiesHandler implements Handler<RoutingContext> {
  public static final String STABLE = "m.account_moderation";
  public static final String UNSTABLE = "uk.timedout.msc4323";

  private final Authenticator authenticator;
  private final Homeserver homeserver;

  public CapabilitiesHandler(Authenticator authenticator, Homeserver homeserver) {
    this.authenticator = authenticator;
    this.homeserver = homeserver;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!homeserver.connected()) {
      alone(ctx);
      return;
    }
    homeserver.clientCapabilities(ClientRequest.of(ctx)).onSuccess(answer -> {
      if (answer.isEmpty()) {
        alone(ctx);
      } else {
        merged(ctx, answer.get());
      }
    }).onFailure(ctx::fail);
  }

  private void alone(RoutingContext ctx) {
    authenticator.authenticate(ctx, Authenticator.Access.READ)
        .onSuccess(requester -> ctx.json(merge(new JsonObject(), requester.admin())))
        .onFailure(ctx::fail);
  }

  private void merged(RoutingContext ctx, ClientAnswer answer) {
    if (!answer.ok()) {
      ctx.fail(MatrixError.fromJson(answer.status(), answer.body()));
      return;
    }
    authenticator.authenticate(ctx, Authenticator.Access.READ)
        .map(Requester::admin)
        .recover(failure -> failure instanceof MatrixError error && (error.status() == 401 || error.status() == 403)
            ? Future.succeededFuture(false) : Future.failedFuture(failure))
        .onSuccess(admin -> {
          HttpServerResponse response = ctx.response().putHeader("Content-Type", "application/json");
          if (answer.cacheControl() != null) {
            response.putHeader("Cache-Control", answer.cacheControl());
          }
          response.end(merge(answer.body(), admin).encode());
        })
        .onFailure(ctx::fail);
  }

  /**
   * {@code homeserver}'s answer ({@code {}} standalone) with Gatehouse's entries in its {@code capabilities}: both
   * moderation entries for an admin, neither for anyone else. Every other field and capability is the homeserver's.
   */
  public static JsonObject merge(JsonObject homeserver, boolean admin) {
    JsonObject capabilities = homeserver.getValue("capabilities") instanceof JsonObject theirs
        ? theirs.copy() : new JsonObject();
    capabilities.remove(STABLE);
    capabilities.remove(UNSTABLE);
    if (admin) {
      JsonObject moderation = new JsonObject().put("suspend", true).put("lock", true);
      capabilities.put(STABLE, moderation).put(UNSTABLE, moderation.copy());
    }
    return homeserver.copy().put("capabilities", capabilities);
  }
}
