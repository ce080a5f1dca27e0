package org.gatehouse.auth;

import io.vertx.core.Deployable;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;

/** The auth module as the launcher sees it. */
public final class AuthModule implements GatehouseModule<AuthConfig> {
  public static final String NAME = "auth";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AuthConfig configure(ConfigNode section, NodeSettings node) {
    return AuthConfig.read(section, node);
  }

  @Override
  public Deployable verticle(AuthConfig config, ModuleContext context) {
    return new AuthVerticle(config, context);
  }
}
