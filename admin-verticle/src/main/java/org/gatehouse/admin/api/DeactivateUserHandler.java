package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;

/**
 * {@code POST /_gatehouse/admin/v1/users/{userId}/deactivate}: the auth module ends every session and deletes the
 * devices on every node before it answers. A suspension or lock is left recorded as it was: the account can do
 * nothing anyway, MSC4323 answers 404 for it from now on, and the record keeps the history. Deactivating a
 * deactivated account changes nothing and is not audited. Deactivating the last active administrator is refused by
 * the auth module ({@code 403 M_FORBIDDEN}), atomically, as for revoking admin rights.
 */
final class DeactivateUserHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  DeactivateUserHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = actions.targetOtherThanCaller(ctx, "You cannot deactivate your own account through the admin API");
    String reason = ApiCalls.body(ctx).getString("reason");
    ApiCalls.answer(ctx, 200, actions.accounts().get(userId)
        .compose(account -> account.deactivated() ? Future.succeededFuture(account)
            : actions.accounts().deactivate(userId, AdminActions.caller(ctx)).compose(deactivated ->
                actions.audited(ctx, userId, AuditAction.DEACTIVATE, reason, new JsonObject(), deactivated)))
        .compose(actions::view));
  }
}
