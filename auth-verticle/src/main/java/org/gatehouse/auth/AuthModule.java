package org.gatehouse.auth;

import io.vertx.core.Deployable;
import java.util.Optional;
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

  /**
   * {@link org.gatehouse.common.auth.AuthAddresses#ACCOUNT_CREATE}, so that {@code gatehouse user add} creates
   * accounts through the module's contract, with its rules, hashing and homeserver provisioning.
   */
  @Override
  public Optional<Deployable> commandVerticle(AuthConfig config, ModuleContext context) {
    return Optional.of(new AuthCommandVerticle(config, context));
  }
}
