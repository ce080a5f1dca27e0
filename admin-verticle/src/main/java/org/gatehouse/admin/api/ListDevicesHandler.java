package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /_gatehouse/admin/v1/users/{userId}/devices}: 404 for an unknown user, not an empty list. */
final class ListDevicesHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  ListDevicesHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ApiCalls.answer(ctx, 200, actions.listOf(actions.target(ctx), "devices", actions.accounts()::devices));
  }
}
