package org.gatehouse.database;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each module's forward-only migrations at start-up.
 *
 * <p>The whole run holds a PostgreSQL session-level advisory lock, so when several nodes boot at once one
 * migrates and the others wait, then find nothing left to do. Each migration runs in its own transaction
 * together with its bookkeeping row, so a failed migration leaves no trace and the next start retries it.
 */
public final class Migrator {
  /** Advisory lock key: "gatehous" in ASCII, fixed forever so that every version agrees on it. */
  static final long LOCK_KEY = 0x67617465_686f7573L;

  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  private final Pool pool;

  public Migrator(Pool pool) {
    this.pool = pool;
  }

  /** Loads the migrations of {@code module} from {@code db/migration/<module>/} on the classpath. */
  public static List<Migration> load(ClassLoader loader, String module) {
    String directory = "db/migration/" + module;
    List<Migration> migrations = new ArrayList<>();
    for (String file : ClasspathResources.list(loader, directory)) {
      try (InputStream in = loader.getResourceAsStream(directory + "/" + file)) {
        migrations.add(Migration.fromFile(module, file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read migration " + directory + "/" + file, e);
      }
    }
    migrations.sort((a, b) -> Integer.compare(a.version(), b.version()));
    for (int i = 1; i < migrations.size(); i++) {
      if (migrations.get(i).version() == migrations.get(i - 1).version()) {
        throw new IllegalStateException("two migrations of " + module + " have version " + migrations.get(i).version());
      }
    }
    return migrations;
  }

  /** Applies what is missing; completes with the number of migrations applied by this node. */
  public Future<Integer> migrate(List<Migration> migrations) {
    return pool.getConnection().compose(conn -> conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")").execute()
        .compose(locked -> applyAll(conn, migrations))
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()
            .eventually(conn::close)));
  }

  private Future<Integer> applyAll(SqlConnection conn, List<Migration> migrations) {
    // Created only when absent (under the lock): CREATE TABLE IF NOT EXISTS on every start would make PostgreSQL
    // send a notice that the client logs as a warning each time.
    return conn.query("SELECT to_regclass('gatehouse_migrations') IS NOT NULL").execute()
        .compose(exists -> exists.iterator().next().getBoolean(0) ? Future.succeededFuture() : conn.query("""
            CREATE TABLE gatehouse_migrations (
              module      text        NOT NULL,
              version     integer     NOT NULL,
              description text        NOT NULL,
              checksum    text        NOT NULL,
              applied_at  timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (module, version))""").execute().mapEmpty())
        .compose(created -> conn.query("SELECT module, version, checksum FROM gatehouse_migrations").execute())
        .compose(rows -> {
          Map<String, String> applied = new HashMap<>();
          for (Row row : rows) {
            applied.put(row.getString("module") + "/" + row.getInteger("version"), row.getString("checksum"));
          }
          List<Migration> pending = new ArrayList<>();
          for (Migration m : migrations) {
            String checksum = applied.get(m.module() + "/" + m.version());
            if (checksum == null) {
              pending.add(m);
            } else if (!checksum.equals(m.checksum())) {
              return Future.failedFuture(new IllegalStateException("migration " + m.module() + "/V" + m.version()
                  + " was changed after it was applied; migrations are forward-only, add a new one instead"));
            }
          }
          return applyInOrder(conn, pending, 0).map(pending.size());
        });
  }

  private Future<Void> applyInOrder(SqlConnection conn, List<Migration> pending, int index) {
    if (index == pending.size()) {
      return Future.succeededFuture();
    }
    Migration m = pending.get(index);
    return conn.begin().compose(tx -> conn.query(m.sql()).execute()
            .compose(done -> conn.preparedQuery(
                    "INSERT INTO gatehouse_migrations (module, version, description, checksum) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(m.module(), m.version(), m.description(), m.checksum())))
            .compose(done -> tx.commit())
            .recover(failure -> tx.rollback().transform(ignored -> Future.failedFuture(new IllegalStateException(
                "migration " + m.module() + "/V" + m.version() + " failed: " + failure.getMessage(), failure)))))
        .onSuccess(done -> LOG.info("applied migration {}/V{} ({})", m.module(), m.version(), m.description()))
        .compose(done -> applyInOrder(conn, pending, index + 1));
  }
}
