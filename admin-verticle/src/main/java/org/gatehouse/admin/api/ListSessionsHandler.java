package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.LocalUserIds;

/** {@code GET /_gatehouse/admin/v1/users/{userId}/sessions}: 404 for an unknown user, not an empty list. */
final class ListSessionsHandler implements Handler<RoutingContext> {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;

  ListSessionsHandler(LocalUserIds userIds, AuthAccounts accounts) {
    this.userIds = userIds;
    this.accounts = accounts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = userIds.requireLocal(ctx.pathParam("userId"));
    accounts.get(userId)
        .compose(account -> accounts.sessions(userId))
        .onSuccess(sessions -> {
          JsonArray array = new JsonArray();
          sessions.forEach(s -> array.add(s.toJson()));
          ApiCalls.answer(ctx, 200, new JsonObject().put("sessions", array));
        })
        .onFailure(ctx::fail);
  }
}
