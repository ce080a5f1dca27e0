package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.homeserver.HomeserverCalls;
import org.gatehouse.common.http.MatrixError;

/**
 * {@code POST /_gatehouse/admin/v1/homeserver/reconcile}: queue a reconciliation with the homeserver (what every node
 * does as it starts), for an operator who restored the homeserver from a backup or repaired its database.
 */
final class ReconcileHomeserverHandler implements Handler<RoutingContext> {
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(10_000);

  private final EventBus bus;
  private final boolean homeserverConnected;
  private final AdminActions actions;

  ReconcileHomeserverHandler(EventBus bus, boolean homeserverConnected, AdminActions actions) {
    this.bus = bus;
    this.homeserverConnected = homeserverConnected;
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!homeserverConnected) {
      ctx.fail(MatrixError.notFound("No homeserver is configured (the homeserver: section): nothing to reconcile"));
      return;
    }
    JsonObject request = new HomeserverCalls.Reconcile(AdminActions.caller(ctx)).toJson();
    ApiCalls.answer(ctx, 200, bus.<JsonObject>request(HomeserverCalls.Reconcile.ADDRESS, request, OPTIONS)
        .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)))
        .map(reply -> new JsonObject().put("queued", reply.body().getBoolean("queued", false)))
        .compose(answer -> actions.audited(ctx, null, AuditAction.RECONCILE_HOMESERVER, null, answer.copy(), answer)));
  }
}
