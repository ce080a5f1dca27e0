package org.gatehouse.server.config;

import io.vertx.core.Deployable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gatehouse.common.config.ConfigLoader;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;

/**
 * The whole configuration of a node, read once at start from one YAML file plus {@code GATEHOUSE_*}
 * environment overrides, and validated completely before anything starts.
 */
public record GatehouseConfig(
    NodeSettings node,
    Path dataDir,
    HttpConfig http,
    DatabaseConfig database,
    ClusterConfig cluster,
    MatrixConfig matrix,
    LoggingConfig logging,
    MetricsConfig metrics,
    List<ConfiguredModule<?>> modules) {

  /** A module with its validated configuration. */
  public record ConfiguredModule<C>(GatehouseModule<C> module, C config) {
    public Map<String, Boolean> unstableFeatures() {
      return module.unstableFeatures(config);
    }

    public NodeSettings contribute(NodeSettings node) {
      return module.contribute(config, node);
    }

    public boolean enabled() {
      return module.enabled(config);
    }

    public Optional<Deployable> commandVerticle(ModuleContext context) {
      return module.commandVerticle(config, context);
    }
  }

  /** Loads {@code file} (null: built-in defaults only) with {@code env} overrides; throws ConfigException. */
  public static GatehouseConfig load(Path file, Map<String, String> env, List<GatehouseModule<?>> modules) {
    return read(ConfigLoader.load(file, env), modules);
  }

  public static GatehouseConfig read(ConfigNode root, List<GatehouseModule<?>> modules) {
    String serverName = root.string("server_name", "localhost");
    if (!serverName.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?")) {
      throw root.problem("server_name", "expected a Matrix server name such as example.org, got \"" + serverName + "\"");
    }
    NodeSettings node = new NodeSettings(serverName, baseUrl(root));
    Path dataDir = Path.of(root.string("data_dir", "./data"));
    HttpConfig http = HttpConfig.read(root.section("http"));
    DatabaseConfig database = DatabaseConfig.read(root.section("database"));
    ClusterConfig cluster = ClusterConfig.read(root.section("cluster"));
    MatrixConfig matrix = MatrixConfig.read(root.section("matrix"));
    LoggingConfig logging = LoggingConfig.read(root.section("logging"));
    MetricsConfig metrics = MetricsConfig.read(root.section("metrics"));
    List<ConfiguredModule<?>> configured = new ArrayList<>();
    for (GatehouseModule<?> module : modules) {
      ConfiguredModule<?> one = configure(module, root.section(module.name()), node);
      configured.add(one);
      node = one.contribute(node);
    }
    root.rejectUnknownKeys();
    return new GatehouseConfig(node, dataDir, http, database, cluster, matrix, logging, metrics,
        List.copyOf(configured));
  }

  private static <C> ConfiguredModule<C> configure(GatehouseModule<C> module, ConfigNode section, NodeSettings node) {
    return new ConfiguredModule<>(module, module.configure(section, node));
  }

  /** Hosts browsers treat as a secure context over http: localhost, 127.0.0.0/8 and [::1]. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static URI baseUrl(ConfigNode root) {
    String text = root.string("public_base_url", "http://127.0.0.1:8080/");
    try {
      URI uri = new URI(text.endsWith("/") ? text : text + "/");
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getQuery() != null || uri.getFragment() != null) {
        throw new URISyntaxException(text, "not an absolute http(s) URL without query or fragment");
      }
      if (!"/".equals(uri.getPath())) {
        // Pages, forms and the Matrix and OAuth endpoints are all served at the root of the host: a path prefix
        // added by a proxy would break every link the pages contain.
        throw root.problem("public_base_url", "expected the root of a host such as https://auth.example.org/ "
            + "(Gatehouse serves everything at the root, so a path cannot be added by a proxy), got \"" + text + "\"");
      }
      if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
        // The browser session cookie is always Secure (and __Host-): browsers keep it from https, and from http
        // on loopback only, so the pages would not work; and the sign-in would cross the network in clear.
        throw root.problem("public_base_url", "expected an https:// URL (http:// only on a loopback host such as "
            + "127.0.0.1 or localhost, for development): the browser session cookie is Secure, got \"" + text + "\"");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw root.problem("public_base_url", "expected an absolute http(s) URL such as https://auth.example.org/, got \""
          + text + "\"");
    }
  }
}
