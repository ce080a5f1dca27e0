package org.gatehouse.auth;

import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;

/** The {@code auth} section of the configuration. */
public record AuthConfig() {
  static AuthConfig read(ConfigNode section, NodeSettings node) {
    return new AuthConfig();
  }
}
