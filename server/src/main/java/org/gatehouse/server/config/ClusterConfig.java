package org.gatehouse.server.config;

import java.util.List;
import org.gatehouse.common.config.ConfigNode;

/** {@code cluster}: the Hazelcast member this node runs and how it finds the others (TCP-IP, never multicast). */
public record ClusterConfig(String name, String host, int port, List<String> members, int eventBusPort) {
  static ClusterConfig read(ConfigNode node) {
    String name = node.string("name", "gatehouse");
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw node.problem("name", "expected letters, digits, '.', '_' or '-' (at most 64), got \"" + name + "\"");
    }
    return new ClusterConfig(
        name,
        node.string("host", "127.0.0.1"),
        node.integer("port", 5701, 1, 65535),
        node.strings("members", List.of(), ClusterConfig::member),
        node.integer("event_bus_port", 0, 0, 65535));
  }

  private static String member(String text) {
    if (!text.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
      throw new IllegalArgumentException("expected host or host:port, got \"" + text + "\"");
    }
    return text;
  }
}
