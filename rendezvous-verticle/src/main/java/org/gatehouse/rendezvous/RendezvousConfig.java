package org.gatehouse.rendezvous;

import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;

/** The {@code rendezvous} section of the configuration. */
public record RendezvousConfig() {
  static RendezvousConfig read(ConfigNode section, NodeSettings node) {
    return new RendezvousConfig();
  }
}
