package org.gatehouse.server.config;

import java.util.List;
import org.gatehouse.common.config.ConfigNode;

/**
 * {@code matrix}: what {@code GET /_matrix/client/versions} says. Operators who merge Gatehouse's unstable
 * features into their homeserver's answer set {@code serve_versions: false} and route the path to the homeserver.
 */
public record MatrixConfig(boolean serveVersions, List<String> versions) {
  static final List<String> DEFAULT_VERSIONS = List.of("v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8",
      "v1.9", "v1.10", "v1.11", "v1.12", "v1.13", "v1.14", "v1.15");

  static MatrixConfig read(ConfigNode node) {
    return new MatrixConfig(node.bool("serve_versions", true), node.strings("versions", DEFAULT_VERSIONS, v -> {
      if (!v.matches("[rv]\\d+(\\.\\d+){1,2}")) {
        throw new IllegalArgumentException("expected a spec version such as v1.11, got \"" + v + "\"");
      }
      return v;
    }));
  }
}
