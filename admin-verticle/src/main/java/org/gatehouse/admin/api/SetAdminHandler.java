package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.http.MatrixError;

/**
 * {@code PUT /_gatehouse/admin/v1/users/{userId}/admin}: grants or revokes administrator rights. Not on yourself
 * (the last administrator could lock everyone out), not on a deactivated account, and not granting to a suspended
 * or locked account: MSC4323 refuses to act on administrators, so such an account could not be freed again
 * without revoking first. Setting the flag it already has changes nothing and is not audited. Revoking it from the
 * last active administrator is refused by the auth module ({@code 403 M_FORBIDDEN}), atomically: two
 * administrators revoking each other at the same moment leave one (the refusal comes back as auth answered it).
 */
final class SetAdminHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  SetAdminHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = actions.targetOtherThanCaller(ctx, "You cannot change your own administrator rights");
    JsonObject body = ApiCalls.body(ctx);
    boolean admin = body.getBoolean("admin");
    ApiCalls.answer(ctx, 200, actions.accounts().get(userId)
        .compose(account -> actions.moderation().get(userId).compose(state -> set(ctx, account, state, admin,
            body.getString("reason")))));
  }

  private Future<JsonObject> set(RoutingContext ctx, AccountInfo account, Moderation state, boolean admin,
                                 String reason) {
    if (account.deactivated()) {
      return Future.failedFuture(MatrixError.invalidParam("The account is deactivated"));
    }
    if (account.admin() == admin) {
      return Future.succeededFuture(UserViews.of(account, state));
    }
    if (admin && (state.suspended() || state.locked())) {
      return Future.failedFuture(MatrixError.forbidden("The account is suspended or locked; lift that before "
          + "granting administrator rights"));
    }
    return actions.accounts().setAdmin(account.userId(), admin)
        .compose(updated -> actions.audited(ctx, updated.userId(),
            admin ? AuditAction.GRANT_ADMIN : AuditAction.REVOKE_ADMIN, reason, new JsonObject(),
            UserViews.of(updated, state)));
  }
}
