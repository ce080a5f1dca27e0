package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.store.CrossSigningResetStore;

final class PgCrossSigningResetStore implements CrossSigningResetStore {
  private final Db db;

  PgCrossSigningResetStore(Db db) {
    this.db = db;
  }

  @Override
  public Future<Void> add(UUID userId, Instant approvedAt, Instant expiresAt) {
    return db.sql().preparedQuery("INSERT INTO auth.cross_signing_resets (id, user_id, approved_at, expires_at)"
            + " VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(UUID.randomUUID(), userId, Sql.ts(approvedAt), Sql.ts(expiresAt)))
        .mapEmpty();
  }

  @Override
  public Future<Optional<Instant>> openUntil(UUID userId, Instant now) {
    return db.sql().preparedQuery("SELECT max(expires_at) AS expires_at FROM auth.cross_signing_resets"
            + " WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2")
        .execute(Tuple.of(userId, Sql.ts(now)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return Optional.ofNullable(Sql.instant(row, "expires_at"));
        });
  }

  @Override
  public Future<Boolean> consume(UUID userId, Instant now) {
    return db.sql().preparedQuery("""
            UPDATE auth.cross_signing_resets SET used_at = $2 WHERE id = (
              SELECT id FROM auth.cross_signing_resets
              WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2
              ORDER BY expires_at DESC LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id""")
        .execute(Tuple.of(userId, Sql.ts(now)))
        .map(rows -> rows.rowCount() == 1);
  }
}
