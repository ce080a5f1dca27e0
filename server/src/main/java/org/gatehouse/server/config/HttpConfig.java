package org.gatehouse.server.config;

import java.util.List;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.http.EdgeSettings;
import org.gatehouse.common.http.TrustedProxies;

/** {@code http}: the node's public listener. */
public record HttpConfig(String host, int port, int maxBodyBytes, List<String> trustedProxies, int instances) {
  static HttpConfig read(ConfigNode node) {
    return new HttpConfig(
        node.string("host", "127.0.0.1"),
        node.integer("port", 8080, 0, 65535),
        node.integer("max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
        node.strings("trusted_proxies", List.of(), TrustedProxies::validate),
        node.integer("instances", 0, 0, 256));
  }

  public EdgeSettings edgeSettings() {
    return new EdgeSettings(maxBodyBytes, TrustedProxies.of(trustedProxies), EdgeSettings.DEFAULT_CORS_PREFIXES);
  }

  /** HTTP server instances: one per core unless configured, so every event loop serves requests. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
