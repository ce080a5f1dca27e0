package org.gatehouse.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations as N nodes starting together apply them, on a real embedded PostgreSQL (this module's own: the shared
 * test server of gatehouse-test-support is built on this module), with a fresh database for every test.
 */
@ExtendWith(VertxExtension.class)
class MigratorTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  @TempDir
  static Path root;
  static EmbeddedPostgres server;

  Vertx vertx;
  PgConnectOptions database;

  @BeforeAll
  static void startServer() throws Exception {
    // When tests run as root the server runs as 'nobody', who must be able to enter the directory.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    server = EmbeddedPostgres.start(root.resolve("data"), EmbeddedPostgresTest.BINARIES, false);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void newDatabase(Vertx vertx) throws Exception {
    this.vertx = vertx;
    String name = "migrator_" + DATABASES.incrementAndGet();
    PgConnection.connect(vertx, server.connectOptions("postgres"))
        .compose(conn -> conn.query("CREATE DATABASE " + name).execute().eventually(conn::close))
        .await(30, TimeUnit.SECONDS);
    database = server.connectOptions(name);
  }

  private Pool pool() {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(database).using(vertx).build();
  }

  private List<Migration> load(String module) {
    return Migrator.load(getClass().getClassLoader(), module);
  }

  private List<Row> rows(String sql) throws Exception {
    List<Row> result = new ArrayList<>();
    pool().query(sql).execute().await(10, TimeUnit.SECONDS).forEach(result::add);
    return result;
  }

  @Test
  void loadsMigrationsInVersionOrder() {
    List<Migration> migrations = load("migtest");
    assertThat(migrations).extracting(Migration::version).containsExactly(1, 2);
    assertThat(migrations.get(0).description()).isEqualTo("create items");
  }

  @Test
  void nodesStartingTogetherApplyEachMigrationExactlyOnce(VertxTestContext test) {
    List<Future<Integer>> runs = new ArrayList<>();
    for (int node = 0; node < 4; node++) {
      runs.add(new Migrator(pool()).migrate(load("migtest")));
    }
    Pool pool = pool();
    Future.all(runs)
        .compose(all -> pool.query("SELECT id FROM migtest_items ORDER BY id").execute())
        .compose(items -> pool.query("SELECT version FROM gatehouse_migrations WHERE module = 'migtest' ORDER BY version")
            .execute().map(versions -> List.of(items, versions)))
        .onComplete(test.succeeding(tables -> test.verify(() -> {
          assertThat(runs.stream().mapToInt(Future::result).sum()).isEqualTo(2);
          assertThat(tables.get(0)).extracting(r -> r.getInteger("id")).containsExactly(1, 2);
          assertThat(tables.get(1)).extracting(r -> r.getInteger("version")).containsExactly(1, 2);
          test.completeNow();
        })));
  }

  @Test
  void secondRunAppliesNothing() throws Exception {
    assertThat(new Migrator(pool()).migrate(load("migtest")).await(30, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(new Migrator(pool()).migrate(load("migtest")).await(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void failedMigrationLeavesNoTraceAndStopsTheRun() throws Exception {
    Future<Integer> run = new Migrator(pool()).migrate(load("migbroken"));
    assertThatThrownBy(() -> run.await(30, TimeUnit.SECONDS))
        .hasMessageContaining("migration migbroken/V2 failed");
    assertThat(rows("SELECT to_regclass('migbroken_good') IS NOT NULL AS present").get(0).getBoolean("present")).isTrue();
    assertThat(rows("SELECT to_regclass('migbroken_half') IS NOT NULL AS present").get(0).getBoolean("present")).isFalse();
    assertThat(rows("SELECT version FROM gatehouse_migrations WHERE module = 'migbroken'"))
        .extracting(r -> r.getInteger("version")).containsExactly(1);
    // The advisory lock was released: another run can take it and fails the same way instead of hanging.
    assertThatThrownBy(() -> new Migrator(pool()).migrate(load("migbroken")).await(30, TimeUnit.SECONDS))
        .hasMessageContaining("migration migbroken/V2 failed");
  }

  @Test
  void editedMigrationIsRefused() throws Exception {
    new Migrator(pool()).migrate(load("migtest")).await(30, TimeUnit.SECONDS);
    List<Migration> edited = new ArrayList<>(load("migtest"));
    Migration first = edited.get(0);
    edited.set(0, Migration.fromFile("migtest", "V001__create_items.sql", first.sql() + "\n-- edited"));
    assertThatThrownBy(() -> new Migrator(pool()).migrate(edited).await(30, TimeUnit.SECONDS))
        .hasMessageContaining("migration migtest/V1 was changed after it was applied");
  }
}
