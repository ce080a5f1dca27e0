package org.gatehouse.admin;

import io.vertx.core.Deployable;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;

/** The admin module as the launcher sees it. */
public final class AdminModule implements GatehouseModule<AdminConfig> {
  public static final String NAME = "admin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdminConfig configure(ConfigNode section, NodeSettings node) {
    return AdminConfig.read(section, node);
  }

  @Override
  public Deployable verticle(AdminConfig config, ModuleContext context) {
    return new AdminVerticle(config, context);
  }
}
