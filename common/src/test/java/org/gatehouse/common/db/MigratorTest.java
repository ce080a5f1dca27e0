package org.gatehouse.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigratorTest {
  Vertx vertx;
  PgConnectOptions database;
  List<Pool> pools = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    database = TestPostgres.newDatabase();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private Pool pool() {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(database).using(vertx).build();
    pools.add(pool);
    return pool;
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
  void nodesStartingTogetherApplyEachMigrationExactlyOnce() throws Exception {
    List<Future<Integer>> runs = new ArrayList<>();
    for (int node = 0; node < 4; node++) {
      runs.add(new Migrator(pool()).migrate(load("migtest")));
    }
    Future.all(runs).await(60, TimeUnit.SECONDS);
    int applied = runs.stream().mapToInt(Future::result).sum();
    assertThat(applied).isEqualTo(2);
    assertThat(rows("SELECT id FROM migtest_items ORDER BY id")).extracting(r -> r.getInteger("id")).containsExactly(1, 2);
    assertThat(rows("SELECT version FROM gatehouse_migrations WHERE module = 'migtest' ORDER BY version"))
        .extracting(r -> r.getInteger("version")).containsExactly(1, 2);
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
