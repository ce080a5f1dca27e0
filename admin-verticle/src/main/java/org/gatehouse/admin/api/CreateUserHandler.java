package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.Moderation;

/** {@code POST /_gatehouse/admin/v1/users}: creates an account through the auth module; 201 with the user. */
final class CreateUserHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  CreateUserHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = ApiCalls.body(ctx);
    JsonObject request = new JsonObject().put("localpart", body.getString("localpart"))
        .put("admin", body.getBoolean("admin", false));
    if (body.getString("password") != null) {
      request.put("password", body.getString("password"));
    }
    if (body.getString("display_name") != null) {
      request.put("display_name", body.getString("display_name"));
    }
    if (body.getString("password_hash") != null) {
      request.put("password_hash", body.getString("password_hash"));
    }
    ApiCalls.answer(ctx, 201, actions.accounts().create(request)
        .compose(account -> actions.audited(ctx, account.userId(), AuditAction.CREATE_USER, null,
            new JsonObject().put("admin", account.admin()), UserViews.of(account, Moderation.none(account.userId())))));
  }
}
