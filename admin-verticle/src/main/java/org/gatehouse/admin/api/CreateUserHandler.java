package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.Moderation;

/** {@code POST /_gatehouse/admin/v1/users}: creates an account through the auth module; 201 with the user. */
final class CreateUserHandler implements Handler<RoutingContext> {
  private final AuthAccounts accounts;
  private final AuditTrail audit;
  private final Clock clock;

  CreateUserHandler(AuthAccounts accounts, AuditTrail audit, Clock clock) {
    this.accounts = accounts;
    this.audit = audit;
    this.clock = clock;
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
    String caller = ApiCalls.caller(ctx).userId();
    accounts.create(request)
        .compose(account -> audit.record(AuditEntry.of(clock.instant(), caller, account.userId(),
                AuditAction.CREATE_USER, null, new JsonObject().put("admin", account.admin())))
            .map(recorded -> UserViews.of(account, Moderation.none(account.userId()))))
        .onSuccess(user -> ApiCalls.answer(ctx, 201, user))
        .onFailure(ctx::fail);
  }
}
