package org.gatehouse.server.testing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.testing.TestPostgres;
import org.gatehouse.server.GatehouseNode;
import org.gatehouse.server.cli.Modules;
import org.gatehouse.server.config.GatehouseConfig;

/**
 * Several full Gatehouse nodes in this JVM, clustered over loopback through Hazelcast TCP-IP and sharing one
 * fresh database of the embedded test PostgreSQL: the production start-up path, minus the process boundary.
 */
public final class TestNodes implements AutoCloseable {
  public static final String INTROSPECTION_SECRET = "cluster-test-introspection-secret";
  /** The cluster secret of test clusters (each has a name of its own, so they never meet). */
  public static final String CLUSTER_SECRET = "cluster-test-secret-shared-by-the-members";

  private final List<GatehouseNode> nodes = new ArrayList<>();
  private final List<Map<String, Object>> configs = new ArrayList<>();

  private TestNodes() {
  }

  /** Starts {@code count} nodes at once; {@code extra} is merged into every node's configuration. */
  public static TestNodes start(int count, Map<String, Object> extra) {
    TestNodes cluster = new TestNodes();
    PgConnectOptions db = TestPostgres.newDatabase();
    List<Integer> ports = freePorts(count);
    Object host = extra.get("cluster") instanceof Map<?, ?> section && section.get("host") != null ? section.get("host")
        : "127.0.0.1";
    List<String> members = ports.stream().map(p -> host + ":" + p).toList();
    for (int i = 0; i < count; i++) {
      cluster.configs.add(config(db, ports.get(i), members, extra));
    }
    List<Future<GatehouseNode>> starting = new ArrayList<>();
    for (Map<String, Object> config : cluster.configs) {
      starting.add(GatehouseNode.start(GatehouseConfig.read(ConfigNode.of(config), Modules.all()), Clock.systemUTC()));
    }
    try {
      Future.all(starting).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      starting.stream().filter(Future::succeeded).forEach(f -> f.result().stop().await());
      throw new IllegalStateException("test cluster did not start", e);
    }
    starting.forEach(f -> cluster.nodes.add(f.result()));
    return cluster;
  }

  public static TestNodes start(int count) {
    return start(count, Map.of());
  }

  /**
   * One node listening where its {@code public_base_url} points ({@link #publicUrl()}), as clients that check the
   * issuer or follow the URLs the node hands out need; {@code extra} is merged into its configuration.
   */
  public static TestNodes startOneAtItsPublicUrl(Map<String, Object> extra) {
    int port = freePorts(1).get(0);
    Map<String, Object> config = merge(Map.of("public_base_url", "http://127.0.0.1:" + port + "/",
        "http", Map.of("port", port)), extra);
    return start(1, config);
  }

  /** The first node's base URL, without the trailing slash. */
  public String publicUrl() {
    return url(0);
  }

  /** Creates an account through the auth module, as {@code gatehouse user add} does. */
  public void createUser(String localpart, String password) {
    createUser(localpart, password, false);
  }

  /** Creates an account, an administrator if {@code admin}, through the auth module as {@code gatehouse user add} does. */
  public void createUser(String localpart, String password, boolean admin) {
    try {
      node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_CREATE, new JsonObject().put("localpart", localpart)
          .put("password", password).put("admin", admin)).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create user " + localpart, e);
    }
  }

  /** The database every node uses, as a {@code database.url} (for a command run against it, as an operator would). */
  @SuppressWarnings("unchecked")
  public String databaseUrl() {
    return String.valueOf(((Map<String, Object>) configs.get(0).get("database")).get("url"));
  }

  /** The cluster's configured name ({@code cluster.name}), for a node started some other way to join it. */
  @SuppressWarnings("unchecked")
  public String clusterName() {
    return String.valueOf(((Map<String, Object>) configs.get(0).get("cluster")).get("name"));
  }

  /** The cluster's secret ({@code cluster.secret}). */
  @SuppressWarnings("unchecked")
  public String clusterSecret() {
    return String.valueOf(((Map<String, Object>) configs.get(0).get("cluster")).get("secret"));
  }

  public GatehouseNode node(int index) {
    return nodes.get(index);
  }

  public int size() {
    return nodes.size();
  }

  /** Base URL of node {@code index}'s HTTP listener. */
  public String url(int index) {
    return "http://127.0.0.1:" + nodes.get(index).httpPort();
  }

  /** {@code GET /metrics} of node {@code index}, on its metrics listener. */
  public String metricsUrl(int index) {
    return "http://127.0.0.1:" + nodes.get(index).metricsPort() + "/metrics";
  }

  /** Restarts node {@code index} with the configuration it had (same cluster port, same database). */
  public void restart(int index) throws Exception {
    nodes.get(index).stop().await(60, TimeUnit.SECONDS);
    GatehouseConfig config = GatehouseConfig.read(ConfigNode.of(configs.get(index)), Modules.all());
    nodes.set(index, GatehouseNode.start(config, Clock.systemUTC()).await(120, TimeUnit.SECONDS));
  }

  @Override
  public void close() {
    for (GatehouseNode node : nodes) {
      try {
        node.stop().await(60, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already stopped or crashed
      }
    }
  }

  static Map<String, Object> config(PgConnectOptions db, int clusterPort, List<String> members, Map<String, Object> extra) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("server_name", "test.local");
    config.put("http", new HashMap<>(Map.of("host", "127.0.0.1", "port", 0, "instances", 1)));
    config.put("metrics", new HashMap<>(Map.of("port", 0)));
    config.put("database", new HashMap<>(Map.of("url", "postgresql://" + db.getUser() + ":" + db.getPassword() + "@"
        + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase(), "pool_size", 4)));
    config.put("cluster", new HashMap<>(Map.of("name", "test-" + db.getDatabase(), "secret", CLUSTER_SECRET,
        "host", "127.0.0.1", "port", clusterPort, "members", members)));
    // Cheap password hashing keeps cluster tests fast; the production cost is tested in PasswordHasherTest.
    config.put("auth", new HashMap<>(Map.of("password_hashing", Map.of("memory_kib", 1024, "iterations", 1,
        "parallelism", 1), "introspection", Map.of("shared_secret", INTROSPECTION_SECRET))));
    return merge(config, extra);
  }

  /** {@code extra} merged into {@code base}, section by section (a test's configuration over the defaults). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> extra) {
    Map<String, Object> result = new LinkedHashMap<>(base);
    extra.forEach((key, value) -> {
      Object existing = result.get(key);
      if (existing instanceof Map && value instanceof Map) {
        result.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) value));
      } else {
        result.put(key, value);
      }
    });
    return result;
  }

  public static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing
        }
      }
    }
  }
}
