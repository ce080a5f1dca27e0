package org.gatehouse.auth;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.accounts.AccountService;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.auth.store.pg.PgStores;
import org.gatehouse.common.module.ModuleContext;

/**
 * The auth module on a node started for one command-line command: account creation on the local bus, built as
 * {@link AuthVerticle} builds it (the same store, password cost and homeserver), and nothing else.
 */
final class AuthCommandVerticle extends VerticleBase {
  private final AuthConfig config;
  private final ModuleContext context;

  AuthCommandVerticle(AuthConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    UserIds userIds = new UserIds(context.node().serverName());
    UserStore users = new PgStores(context.pool(), context.clock()).users();
    return vertx.executeBlocking(() -> new PasswordHasher(config.passwordCost()), false)
        .compose(hasher -> AccountService.serveCreation(vertx.eventBus(),
            new AccountCreation(vertx, users, hasher, context.homeserver(), userIds), userIds));
  }
}
