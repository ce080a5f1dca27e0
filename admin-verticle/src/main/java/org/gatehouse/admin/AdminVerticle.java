package org.gatehouse.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.gatehouse.admin.api.AdminApi;
import org.gatehouse.admin.auth.AdminGate;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.admin.matrix.ModerationRoutes;
import org.gatehouse.admin.matrix.ModerationTargets;
import org.gatehouse.admin.service.ModerationService;
import org.gatehouse.admin.store.AuditLog;
import org.gatehouse.admin.store.ModerationStore;
import org.gatehouse.admin.store.pg.PgAuditLog;
import org.gatehouse.admin.store.pg.PgModerationStore;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.module.ModuleContext;

/**
 * Runs the admin module on one node: the account-status snapshot other modules load at start, the MSC4323
 * endpoints and capabilities, and the admin API.
 */
public final class AdminVerticle extends VerticleBase {
  private final AdminConfig config;
  private final ModuleContext context;

  AdminVerticle(AdminConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    ModerationStore store = new PgModerationStore(context.pool());
    AuditLog audit = new PgAuditLog(context.pool());
    Authenticator authenticator = new Authenticator(vertx.eventBus());
    AuthAccounts accounts = new AuthAccounts(vertx.eventBus());
    LocalUserIds userIds = new LocalUserIds(context.node().serverName());
    ModerationService moderation = new ModerationService(store, context.broadcast());

    ModerationRoutes.mount(context.edge().router(), authenticator, new ModerationTargets(userIds, accounts), moderation,
        context.clock(), context.homeserver());
    return AdminApi.mount(vertx, context.edge(), context.node(), new AdminApi.Parts(new AdminGate(authenticator), userIds, accounts,
            store, audit, context.clock(), vertx.eventBus(), context.node().homeserver().isPresent()))
        .compose(mounted -> serveSnapshot(store));
  }

  /** Auth loads this at start (after subscribing to the changes) to learn who is suspended or locked. */
  private Future<Void> serveSnapshot(ModerationStore store) {
    return vertx.eventBus().<JsonObject>localConsumer(AdminAddresses.ACCOUNT_STATUS_SNAPSHOT, message ->
        store.restricted().onComplete(result -> {
          if (result.succeeded()) {
            JsonArray accounts = new JsonArray();
            result.result().forEach(s -> accounts.add(s.toJson()));
            message.reply(new JsonObject().put("accounts", accounts));
          } else {
            BusErrors.reply(message, result.cause());
          }
        })).completion();
  }
}
