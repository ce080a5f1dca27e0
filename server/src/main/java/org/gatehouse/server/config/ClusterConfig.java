package org.gatehouse.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gatehouse.common.config.ConfigNode;

/**
 * {@code cluster}: the Hazelcast member this node runs and how it finds the others (TCP-IP, never multicast).
 *
 * <p>{@code name} and {@code secret} may be left out on a node alone ({@code members} lists no other member): the
 * node then generates them on first start and keeps them in {@code data_dir} ({@link ClusterIdentity}). A node
 * with other members must be given both, the same on every member.
 */
public record ClusterConfig(Optional<String> name, Optional<String> secret, String host, int port,
                            List<String> members, int eventBusPort) {
  /** Shortest cluster secret accepted. */
  public static final int MIN_SECRET = 32;

  static ClusterConfig read(ConfigNode node) {
    Optional<String> name = node.optionalString("name");
    if (name.isPresent() && !name.get().matches("[A-Za-z0-9._-]{1,64}")) {
      throw node.problem("name", "expected letters, digits, '.', '_' or '-' (at most 64), got \"" + name.get() + "\"");
    }
    Optional<String> secret = secret(node);
    String host = node.string("host", "127.0.0.1");
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      throw node.problem("host", "expected this member's own address (the one the other members reach it at), not "
          + "the wildcard \"" + host + "\": Hazelcast and the event bus listen on this address only");
    }
    int port = node.integer("port", 5701, 1, 65535);
    List<String> members = node.strings("members", List.of(), ClusterConfig::member);
    int eventBusPort = node.integer("event_bus_port", 0, 0, 65535);
    ClusterConfig config = new ClusterConfig(name, secret, host, port, members, eventBusPort);
    if (config.hasOtherMembers()) {
      if (name.isEmpty()) {
        throw node.problem("name", "required when cluster.members lists other members: set the same name on every "
            + "member (a generated name would differ from node to node)");
      }
      if (secret.isEmpty()) {
        throw node.problem("secret", "required when cluster.members lists other members: set cluster.secret or "
            + "cluster.secret_file to the same secret (at least " + MIN_SECRET + " characters) on every member");
      }
    }
    return config;
  }

  /** Whether {@code members} names anyone but this node. */
  public boolean hasOtherMembers() {
    String self = host + ":" + port;
    return members.stream().anyMatch(m -> !m.equals(self) && !(port == 5701 && m.equals(host)));
  }

  private static Optional<String> secret(ConfigNode node) {
    Optional<String> inline = node.optionalString("secret");
    Optional<String> file = node.optionalString("secret_file");
    if (inline.isPresent() && file.isPresent()) {
      throw node.problem("secret", "set at most one of cluster.secret and cluster.secret_file");
    }
    if (inline.isEmpty() && file.isEmpty()) {
      return Optional.empty();
    }
    String secret;
    if (file.isPresent()) {
      try {
        secret = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw node.problem("secret_file", "cannot read " + file.get() + ": " + e.getMessage());
      }
    } else {
      secret = inline.get();
    }
    if (secret.length() < MIN_SECRET) {
      throw node.problem(file.isPresent() ? "secret_file" : "secret", "the cluster secret must be at least "
          + MIN_SECRET + " characters long (e.g. the output of: openssl rand -base64 32)");
    }
    return Optional.of(secret);
  }

  private static String member(String text) {
    if (!text.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
      throw new IllegalArgumentException("expected host or host:port, got \"" + text + "\"");
    }
    return text;
  }

  @Override
  public String toString() {
    return "ClusterConfig[name=" + name.orElse("(generated)") + ", secret=" + (secret.isPresent() ? "(hidden)"
        : "(generated)") + ", host=" + host + ", port=" + port + ", members=" + members + ", eventBusPort="
        + eventBusPort + "]";
  }
}
