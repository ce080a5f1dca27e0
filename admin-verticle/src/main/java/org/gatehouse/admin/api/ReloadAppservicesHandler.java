package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;

/**
 * {@code POST /_gatehouse/admin/v1/appservices/reload}: what SIGHUP does, for operators without a shell on the
 * node. The auth module answers once every node holds the new registrations.
 */
final class ReloadAppservicesHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  ReloadAppservicesHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ApiCalls.answer(ctx, 200, actions.accounts().reloadAppservices(AdminActions.caller(ctx))
        .compose(loaded -> actions.audited(ctx, null, AuditAction.RELOAD_APPSERVICES, null, loaded.copy(), loaded)));
  }
}
