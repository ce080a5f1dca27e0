package org.gatehouse.server.config;

import org.gatehouse.common.config.ConfigNode;

/**
 * {@code metrics}: Prometheus text at {@code GET /metrics} on a listener of its own, internal by default, never on
 * the public listener (the figures name routes, event-bus addresses, pools and the cluster's size).
 */
public record MetricsConfig(boolean enabled, String host, int port) {
  static MetricsConfig read(ConfigNode node) {
    return new MetricsConfig(node.bool("enabled", true), node.string("host", "127.0.0.1"),
        node.integer("port", 9464, 0, 65535));
  }
}
