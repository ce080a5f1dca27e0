package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;

/**
 * {@code PUT /_gatehouse/admin/v1/users/{userId}/display_name}: sets or removes the name people see. The auth module
 * validates and stores it; a homeserver kept in step follows from the outbox.
 */
final class SetDisplayNameHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  SetDisplayNameHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = actions.target(ctx);
    JsonObject body = ApiCalls.body(ctx);
    ApiCalls.answer(ctx, 200, actions.accounts().setDisplayName(userId, body.getString("display_name"))
        .compose(updated -> actions.audited(ctx, updated.userId(), AuditAction.SET_DISPLAY_NAME,
            body.getString("reason"), new JsonObject().put("display_name", updated.displayName()), updated))
        .compose(actions::view));
  }
}
