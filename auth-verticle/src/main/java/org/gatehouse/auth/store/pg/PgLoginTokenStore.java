package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.store.LoginTokenStore;

final class PgLoginTokenStore implements LoginTokenStore {
  private final Db db;

  PgLoginTokenStore(Db db) {
    this.db = db;
  }

  @Override
  public Future<Void> add(byte[] tokenHash, UUID userId, Instant createdAt, Instant expiresAt) {
    return db.sql().preparedQuery("INSERT INTO auth.login_tokens (token_hash, user_id, created_at, expires_at)"
            + " VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(Buffer.buffer(tokenHash), userId, Sql.ts(createdAt), Sql.ts(expiresAt)))
        .mapEmpty();
  }

  @Override
  public Future<Optional<UUID>> consume(byte[] tokenHash, Instant now) {
    // One statement: of two nodes exchanging the same token at once, exactly one gets the row.
    return db.sql().preparedQuery("UPDATE auth.login_tokens SET consumed_at = $2"
            + " WHERE token_hash = $1 AND consumed_at IS NULL AND expires_at > $2 RETURNING user_id")
        .execute(Tuple.of(Buffer.buffer(tokenHash), Sql.ts(now)))
        .map(rows -> {
          var found = rows.iterator();
          if (!found.hasNext()) {
            return Optional.<UUID>empty();
          }
          Row row = found.next();
          return Optional.of(row.getUUID("user_id"));
        });
  }
}
