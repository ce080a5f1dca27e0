package org.gatehouse.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
    return Future.succeededFuture();
  }
}
