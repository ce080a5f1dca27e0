package org.gatehouse.common.testing;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gatehouse.database.EmbeddedPostgres;
import org.gatehouse.database.Migrator;

/**
 * One real, embedded PostgreSQL per test JVM (the same server {@code ./gatehouse run} uses), with a fresh
 * database for every test class that asks, so tests never see each other's rows.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;
  private static Path root;

  private TestPostgres() {
  }

  /** Creates a new, empty database and returns how to connect to it. */
  public static synchronized PgConnectOptions newDatabase() {
    EmbeddedPostgres pg = server();
    String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    Vertx vertx = Vertx.vertx();
    try {
      SqlConnection conn = PgConnection.connect(vertx, pg.connectOptions("postgres")).await(30, TimeUnit.SECONDS);
      conn.query("CREATE DATABASE " + name).execute().await(30, TimeUnit.SECONDS);
      conn.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    } finally {
      vertx.close().await();
    }
    return pg.connectOptions(name);
  }

  /** A pool on a new database, owned by {@code vertx}. */
  public static Pool newPool(Vertx vertx) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(8)).connectingTo(newDatabase()).using(vertx).build();
  }

  /**
   * A pool on a new database with the migrations of {@code module} ({@code db/migration/<module>/} on the class
   * path) applied, owned by {@code vertx}: for tests of a module's stores.
   */
  public static Pool newMigratedPool(Vertx vertx, String module) {
    Pool pool = newPool(vertx);
    try {
      new Migrator(pool).migrate(Migrator.load(TestPostgres.class.getClassLoader(), module)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot apply the migrations of " + module, e);
    }
    return pool;
  }

  private static EmbeddedPostgres server() {
    if (server == null) {
      try {
        // Under /tmp, not target/: when tests run as root the server runs as 'nobody', who must reach it.
        root = Files.createTempDirectory("gatehouse-test-pg-");
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-pg-bin");
      server = EmbeddedPostgres.start(root.resolve("data"), binaries, false);
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::shutdown, "test-postgres-stop"));
    }
    return server;
  }

  private static void shutdown() {
    try {
      server.close();
    } finally {
      try (Stream<Path> all = Files.walk(root)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a leftover temp directory is harmless
      }
    }
  }
}
