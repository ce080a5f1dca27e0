package org.gatehouse.server.config;

import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.gatehouse.common.config.ConfigNode;

/** {@code database}: an external PostgreSQL by URL, or the embedded one when no URL is set. */
public record DatabaseConfig(Optional<PgConnectOptions> external, int poolSize, Duration connectTimeout,
                             Path embeddedDataDir) {
  static DatabaseConfig read(ConfigNode node) {
    Optional<PgConnectOptions> external = node.optionalString("url").map(url -> {
      try {
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
          throw new IllegalArgumentException("not a postgresql:// URL");
        }
        return PgConnectOptions.fromUri(url);
      } catch (RuntimeException e) {
        throw node.problem("url", "expected a URL such as postgresql://user:password@host:5432/gatehouse"
            + " (" + e.getMessage() + ")");
      }
    });
    int poolSize = node.integer("pool_size", 16, 1, 500);
    Duration connectTimeout = node.duration("connect_timeout", Duration.ofSeconds(10), Duration.ofSeconds(1),
        Duration.ofMinutes(5));
    ConfigNode embedded = node.section("embedded");
    Path dataDir = Path.of(embedded.string("data_dir", "./data/postgres"));
    return new DatabaseConfig(external, poolSize, connectTimeout, dataDir);
  }

  /** Where the embedded server's binaries are unpacked: next to its data directory. */
  public Path embeddedBinaries() {
    return embeddedDataDir.toAbsolutePath().normalize().resolveSibling("postgres-binaries");
  }
}
