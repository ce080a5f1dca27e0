package org.gatehouse.auth;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.gatehouse.common.module.ModuleContext;

/** Runs the auth module on one node. */
public final class AuthVerticle extends VerticleBase {
  private final AuthConfig config;
  private final ModuleContext context;

  AuthVerticle(AuthConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
