package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.admin.store.ModerationStore;
import org.gatehouse.common.http.MatrixError;

/**
 * {@code POST /_gatehouse/admin/v1/users/{userId}/deactivate}: the auth module ends every session and deletes the
 * devices on every node before it answers. A suspension or lock is left recorded as it was: the account can do
 * nothing anyway, MSC4323 answers 404 for it from now on, and the record keeps the history. Deactivating a
 * deactivated account changes nothing and is not audited. Deactivating the last active administrator is refused by
 * the auth module ({@code 403 M_FORBIDDEN}), atomically, as for revoking admin rights.
 */
final class DeactivateUserHandler implements Handler<RoutingContext> {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;
  private final ModerationStore moderation;
  private final AuditTrail audit;
  private final Clock clock;

  DeactivateUserHandler(LocalUserIds userIds, AuthAccounts accounts, ModerationStore moderation, AuditTrail audit,
                        Clock clock) {
    this.userIds = userIds;
    this.accounts = accounts;
    this.moderation = moderation;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = userIds.requireLocal(ctx.pathParam("userId"));
    String caller = ApiCalls.caller(ctx).userId();
    if (userId.equals(caller)) {
      throw MatrixError.forbidden("You cannot deactivate your own account through the admin API");
    }
    String reason = ApiCalls.body(ctx).getString("reason");
    accounts.get(userId)
        .compose(account -> account.deactivated() ? Future.succeededFuture(account)
            : accounts.deactivate(userId, caller).compose(deactivated -> audit.record(AuditEntry.of(clock.instant(),
                caller, userId, AuditAction.DEACTIVATE, reason, new JsonObject())).map(deactivated)))
        .compose(account -> moderation.get(userId).map(state -> UserViews.of(account, state)))
        .onSuccess(user -> ApiCalls.answer(ctx, 200, user))
        .onFailure(ctx::fail);
  }
}
