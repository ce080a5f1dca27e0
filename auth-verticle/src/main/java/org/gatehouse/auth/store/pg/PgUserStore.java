package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.UserStore;

public final class PgUserStore implements UserStore {
  private static final String COLUMNS =
      "id, localpart, password_hash, admin, appservice_id, created_at, deactivated_at, display_name";
  /**
   * Advisory lock held (to the end of the transaction) by every change that may take an active administrator away:
   * "gh-admin" in ASCII.
   */
  static final long ADMINS_LOCK = 0x67682d61_646d696eL;

  private final Db db;
  private final Clock clock;

  PgUserStore(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Future<User> create(String localpart, String passwordHash, boolean admin, String appserviceId) {
    return create(localpart, passwordHash, admin, appserviceId, null);
  }

  @Override
  public Future<Boolean> setDisplayName(String localpart, String displayName) {
    return db.sql().preparedQuery("UPDATE auth.users SET display_name = $2 WHERE localpart = $1 AND deactivated_at IS NULL")
        .execute(Tuple.of(localpart, displayName)).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<User> create(String localpart, String passwordHash, boolean admin, String appserviceId,
                             String displayName) {
    UUID id = UUID.randomUUID();
    return db.sql().preparedQuery("INSERT INTO auth.users (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)"
            + " RETURNING " + COLUMNS)
        .execute(Tuple.of(id, localpart, passwordHash, admin, appserviceId, Sql.ts(clock.instant()), displayName))
        .map(rows -> user(rows.iterator().next()))
        .recover(failure -> failure instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.failedFuture(new DuplicateException("user " + localpart + " already exists"))
            : Future.failedFuture(failure));
  }

  @Override
  public Future<Optional<User>> byLocalpart(String localpart) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE localpart = $1").execute(Tuple.of(localpart))
        .map(PgUserStore::first);
  }

  @Override
  public Future<Optional<User>> byId(UUID id) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE id = $1").execute(Tuple.of(id))
        .map(PgUserStore::first);
  }

  @Override
  public Future<List<User>> byLocalparts(List<String> localparts) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE localpart = ANY($1) ORDER BY localpart")
        .execute(Tuple.of(localparts.toArray(new String[0])))
        .map(rows -> {
          List<User> users = new ArrayList<>();
          rows.forEach(row -> users.add(user(row)));
          return users;
        });
  }

  @Override
  public Future<Void> setPasswordHash(UUID id, String passwordHash) {
    return db.sql().preparedQuery("UPDATE auth.users SET password_hash = $2 WHERE id = $1").execute(Tuple.of(id, passwordHash))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> setAdmin(String localpart, boolean admin) {
    String update = "UPDATE auth.users SET admin = $2 WHERE localpart = $1 AND deactivated_at IS NULL";
    if (admin) {
      // Adding an administrator never leaves fewer: no lock needed.
      return db.sql().preparedQuery(update).execute(Tuple.of(localpart, true)).map(rows -> rows.rowCount() == 1);
    }
    return keepingAnAdministrator(localpart, conn -> conn.preparedQuery(update).execute(Tuple.of(localpart, false))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<Boolean> deactivate(String localpart) {
    return keepingAnAdministrator(localpart, conn -> conn.preparedQuery(
            "UPDATE auth.users SET deactivated_at = $2 WHERE localpart = $1 AND deactivated_at IS NULL")
        .execute(Tuple.of(localpart, Sql.ts(clock.instant()))).map(rows -> rows.rowCount() == 1));
  }

  /**
   * Runs {@code change}, which may take an active administrator away (demotion, deactivation), in a transaction
   * that first takes {@link #ADMINS_LOCK} and then checks that {@code localpart} is not the last active
   * administrator; fails with {@link LastAdminException} if it is, changing nothing. Every such change in the
   * cluster holds the same lock until it commits, so two administrators demoting (or deactivating) each other at
   * the same moment are serialised: the second sees the first's change and is refused. Without the lock, under
   * READ COMMITTED, each would see the other still an administrator and both would commit.
   */
  private Future<Boolean> keepingAnAdministrator(String localpart, Function<SqlConnection, Future<Boolean>> change) {
    return db.atomically(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(ADMINS_LOCK))
        .compose(locked -> conn.preparedQuery("SELECT admin AND deactivated_at IS NULL AS active_admin,"
                + " (SELECT count(*) FROM auth.users WHERE admin AND deactivated_at IS NULL) AS active_admins"
                + " FROM auth.users WHERE localpart = $1")
            .execute(Tuple.of(localpart)))
        .compose(rows -> {
          Row row = rows.size() == 0 ? null : rows.iterator().next();
          if (row != null && row.getBoolean("active_admin") && row.getLong("active_admins") <= 1) {
            return Future.failedFuture(new LastAdminException(localpart + " is the last active administrator"));
          }
          return change.apply(conn);
        }));
  }

  @Override
  public Future<List<User>> page(String afterLocalpart, int limit, Boolean deactivated) {
    String filter = deactivated == null ? "" : deactivated ? " AND deactivated_at IS NOT NULL" : " AND deactivated_at IS NULL";
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE localpart > $1" + filter
            + " ORDER BY localpart LIMIT $2")
        .execute(Tuple.of(afterLocalpart == null ? "" : afterLocalpart, limit))
        .map(rows -> {
          List<User> users = new ArrayList<>();
          rows.forEach(row -> users.add(user(row)));
          return users;
        });
  }

  private static Optional<User> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(user(rows.iterator().next()));
  }

  static User user(Row row) {
    return new User(row.getUUID("id"), row.getString("localpart"), row.getString("password_hash"),
        row.getBoolean("admin"), row.getString("appservice_id"), Sql.instant(row, "created_at"),
        Sql.instant(row, "deactivated_at"), row.getString("display_name"));
  }
}
