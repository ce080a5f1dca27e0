package org.gatehouse.rendezvous;

import io.vertx.core.Deployable;
import java.util.Map;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;

/** The rendezvous module as the launcher sees it. */
public final class RendezvousModule implements GatehouseModule<RendezvousConfig> {
  public static final String NAME = "rendezvous";
  /** Advertised in {@code /_matrix/client/versions}; matrix-js-sdk refuses the 2024 QR login without it. */
  public static final String MSC4108_FEATURE = "org.matrix.msc4108";
  public static final String MSC4388_FEATURE = "io.element.msc4388";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RendezvousConfig configure(ConfigNode section, NodeSettings node) {
    return RendezvousConfig.read(section, node);
  }

  @Override
  public Map<String, Boolean> unstableFeatures(RendezvousConfig config) {
    return Map.of(MSC4108_FEATURE, config.msc4108Enabled(), MSC4388_FEATURE, config.msc4388Enabled());
  }

  @Override
  public Deployable verticle(RendezvousConfig config, ModuleContext context) {
    return new RendezvousVerticle(config, context);
  }
}
