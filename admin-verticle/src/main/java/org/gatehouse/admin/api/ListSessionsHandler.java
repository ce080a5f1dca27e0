package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /_gatehouse/admin/v1/users/{userId}/sessions}: 404 for an unknown user, not an empty list. */
final class ListSessionsHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  ListSessionsHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ApiCalls.answer(ctx, 200, actions.listOf(actions.target(ctx), "sessions", userId -> actions.accounts()
        .sessions(userId).map(sessions -> {
          JsonArray array = new JsonArray();
          sessions.forEach(s -> array.add(s.toJson()));
          return array;
        })));
  }
}
