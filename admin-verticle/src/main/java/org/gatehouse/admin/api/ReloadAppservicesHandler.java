package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;

/**
 * {@code POST /_gatehouse/admin/v1/appservices/reload}: what SIGHUP does, for operators without a shell on the
 * node. The auth module answers once every node holds the new registrations.
 */
final class ReloadAppservicesHandler implements Handler<RoutingContext> {
  private final AuthAccounts accounts;
  private final AuditTrail audit;
  private final Clock clock;

  ReloadAppservicesHandler(AuthAccounts accounts, AuditTrail audit, Clock clock) {
    this.accounts = accounts;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String caller = ApiCalls.caller(ctx).userId();
    accounts.reloadAppservices(caller)
        .compose(loaded -> audit.record(AuditEntry.of(clock.instant(), caller, null, AuditAction.RELOAD_APPSERVICES,
            null, loaded.copy())).map(loaded))
        .onSuccess(loaded -> ApiCalls.answer(ctx, 200, loaded))
        .onFailure(ctx::fail);
  }
}
