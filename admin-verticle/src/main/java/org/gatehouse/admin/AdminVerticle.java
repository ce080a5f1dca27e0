package org.gatehouse.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.gatehouse.admin.status.AccountStatusStore;
import org.gatehouse.admin.status.PgAccountStatusStore;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.module.ModuleContext;

/** Runs the admin module on one node. */
public final class AdminVerticle extends VerticleBase {
  private final AdminConfig config;
  private final ModuleContext context;

  AdminVerticle(AdminConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    AccountStatusStore statuses = new PgAccountStatusStore(context.pool());
    return vertx.eventBus().<JsonObject>localConsumer(AdminAddresses.ACCOUNT_STATUS_SNAPSHOT, message ->
        statuses.restricted().onComplete(result -> {
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
