package org.gatehouse.admin;

import io.vertx.core.Deployable;
import java.util.Map;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;

/** The admin module as the launcher sees it. */
public final class AdminModule implements GatehouseModule<AdminConfig> {
  public static final String NAME = "admin";
  /** MSC4323 while unstable: the suspend/lock endpoints and the capability are available. */
  public static final String MSC4323 = "uk.timedout.msc4323";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdminConfig configure(ConfigNode section, NodeSettings node) {
    return AdminConfig.read(section, node);
  }

  @Override
  public Map<String, Boolean> unstableFeatures(AdminConfig config) {
    return Map.of(MSC4323, true);
  }

  @Override
  public Deployable verticle(AdminConfig config, ModuleContext context) {
    return new AdminVerticle(config, context);
  }
}
