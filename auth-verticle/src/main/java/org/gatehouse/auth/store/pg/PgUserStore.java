package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.Sql;
import org.gatehouse.auth.store.UserStore;

public final class PgUserStore implements UserStore {
  private static final String COLUMNS = "id, localpart, password_hash, admin, appservice_id, created_at, deactivated_at";

  private final Pool pool;
  private final Clock clock;

  public PgUserStore(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  @Override
  public Future<User> create(String localpart, String passwordHash, boolean admin, String appserviceId) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery("INSERT INTO auth.users (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, NULL) RETURNING "
            + COLUMNS)
        .execute(Tuple.of(id, localpart, passwordHash, admin, appserviceId, Sql.ts(clock.instant())))
        .map(rows -> user(rows.iterator().next()))
        .recover(failure -> failure instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.failedFuture(new DuplicateException("user " + localpart + " already exists"))
            : Future.failedFuture(failure));
  }

  @Override
  public Future<Optional<User>> byLocalpart(String localpart) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE localpart = $1").execute(Tuple.of(localpart))
        .map(PgUserStore::first);
  }

  @Override
  public Future<Optional<User>> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE id = $1").execute(Tuple.of(id))
        .map(PgUserStore::first);
  }

  @Override
  public Future<List<User>> byLocalparts(List<String> localparts) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE localpart = ANY($1) ORDER BY localpart")
        .execute(Tuple.of(localparts.toArray(new String[0])))
        .map(rows -> {
          List<User> users = new ArrayList<>();
          rows.forEach(row -> users.add(user(row)));
          return users;
        });
  }

  @Override
  public Future<Void> setPasswordHash(UUID id, String passwordHash) {
    return pool.preparedQuery("UPDATE auth.users SET password_hash = $2 WHERE id = $1").execute(Tuple.of(id, passwordHash))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> setAdmin(String localpart, boolean admin) {
    return pool.preparedQuery("UPDATE auth.users SET admin = $2 WHERE localpart = $1 AND deactivated_at IS NULL")
        .execute(Tuple.of(localpart, admin)).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Boolean> deactivate(String localpart) {
    return pool.preparedQuery("UPDATE auth.users SET deactivated_at = $2 WHERE localpart = $1 AND deactivated_at IS NULL")
        .execute(Tuple.of(localpart, Sql.ts(clock.instant()))).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<List<User>> page(String afterLocalpart, int limit, Boolean deactivated) {
    String filter = deactivated == null ? "" : deactivated ? " AND deactivated_at IS NOT NULL" : " AND deactivated_at IS NULL";
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM auth.users WHERE localpart > $1" + filter
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
        Sql.instant(row, "deactivated_at"));
  }
}
