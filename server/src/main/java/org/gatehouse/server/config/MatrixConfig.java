package org.gatehouse.server.config;

import java.util.List;
import org.gatehouse.common.config.ConfigNode;

/**
 * {@code matrix}: whether and what {@code GET /_matrix/client/versions} answers. Standalone, {@code versions} and
 * the modules' unstable features. With a {@code homeserver} section, the homeserver's answer for the client (its
 * versions, its features) with the modules' features merged in, so the proxy routes the path to Gatehouse; an
 * operator who leaves the path to the homeserver sets {@code serve_versions: false} (Gatehouse's features are then
 * not advertised).
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
