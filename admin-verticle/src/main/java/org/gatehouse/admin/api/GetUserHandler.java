package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /_gatehouse/admin/v1/users/{userId}}: the account, deactivated or not, with its restrictions. */
final class GetUserHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  GetUserHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ApiCalls.answer(ctx, 200, actions.accounts().get(actions.target(ctx)).compose(actions::view));
  }
}
