package org.gatehouse.homeserver;

import io.vertx.core.Deployable;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;

/**
 * The homeserver connector as the launcher sees it: optional (deployed only with a {@code homeserver} section), and
 * configured first, so the modules after it know a homeserver is kept in step and with which secret.
 */
public final class HomeserverModule implements GatehouseModule<HomeserverConfig> {
  public static final String NAME = "homeserver";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public HomeserverConfig configure(ConfigNode section, NodeSettings node) {
    return HomeserverConfig.read(section);
  }

  @Override
  public NodeSettings contribute(HomeserverConfig config, NodeSettings node) {
    return config.enabled() ? node.withHomeserver(config.link()) : node;
  }

  @Override
  public boolean enabled(HomeserverConfig config) {
    return config.enabled();
  }

  @Override
  public Deployable verticle(HomeserverConfig config, ModuleContext context) {
    return new HomeserverVerticle(config, context);
  }
}
