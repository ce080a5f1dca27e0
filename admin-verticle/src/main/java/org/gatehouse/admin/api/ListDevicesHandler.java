package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.LocalUserIds;

/** {@code GET /_gatehouse/admin/v1/users/{userId}/devices}: 404 for an unknown user, not an empty list. */
final class ListDevicesHandler implements Handler<RoutingContext> {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;

  ListDevicesHandler(LocalUserIds userIds, AuthAccounts accounts) {
    this.userIds = userIds;
    this.accounts = accounts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = userIds.requireLocal(ctx.pathParam("userId"));
    accounts.get(userId)
        .compose(account -> accounts.devices(userId))
        .onSuccess(devices -> ApiCalls.answer(ctx, 200, new JsonObject().put("devices", devices)))
        .onFailure(ctx::fail);
  }
}
