package org.gatehouse.admin;

import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;

/** The {@code admin} section of the configuration. */
public record AdminConfig() {
  static AdminConfig read(ConfigNode section, NodeSettings node) {
    return new AdminConfig();
  }
}
