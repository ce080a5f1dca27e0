package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.admin.store.ModerationStore;

/** {@code GET /_gatehouse/admin/v1/users/{userId}}: the account, deactivated or not, with its restrictions. */
final class GetUserHandler implements Handler<RoutingContext> {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;
  private final ModerationStore moderation;

  GetUserHandler(LocalUserIds userIds, AuthAccounts accounts, ModerationStore moderation) {
    this.userIds = userIds;
    this.accounts = accounts;
    this.moderation = moderation;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = userIds.requireLocal(ctx.pathParam("userId"));
    accounts.get(userId)
        .compose(account -> moderation.get(userId).map(state -> UserViews.of(account, state)))
        .onSuccess(user -> ApiCalls.answer(ctx, 200, user))
        .onFailure(ctx::fail);
  }
}
