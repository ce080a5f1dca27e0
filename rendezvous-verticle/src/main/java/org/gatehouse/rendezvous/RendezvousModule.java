package org.gatehouse.rendezvous;

import io.vertx.core.Deployable;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;

/** The rendezvous module as the launcher sees it. */
public final class RendezvousModule implements GatehouseModule<RendezvousConfig> {
  public static final String NAME = "rendezvous";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RendezvousConfig configure(ConfigNode section, NodeSettings node) {
    return RendezvousConfig.read(section, node);
  }

  @Override
  public Deployable verticle(RendezvousConfig config, ModuleContext context) {
    return new RendezvousVerticle(config, context);
  }
}
