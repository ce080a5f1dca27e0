package org.gatehouse.rendezvous;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.gatehouse.common.module.ModuleContext;

/** Runs the rendezvous module on one node. */
public final class RendezvousVerticle extends VerticleBase {
  private final RendezvousConfig config;
  private final ModuleContext context;

  RendezvousVerticle(RendezvousConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
