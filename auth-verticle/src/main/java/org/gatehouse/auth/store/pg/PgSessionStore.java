package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.store.SessionStore;

final class PgSessionStore implements SessionStore {
  private final Db db;
  private final Clock clock;

  PgSessionStore(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Future<UUID> create(UUID userId, String deviceId, String clientId, String scope) {
    UUID id = UUID.randomUUID();
    return db.sql().preparedQuery("INSERT INTO auth.sessions (id, user_id, device_id, client_id, scope, created_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(id, userId, deviceId, clientId, scope, Sql.ts(clock.instant())))
        .map(id);
  }

  @Override
  public Future<Optional<Finished>> finish(UUID sessionId, String reason, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.sessions s SET finished_at = $2, finish_reason = $3 FROM auth.users u"
            + " WHERE s.id = $1 AND s.finished_at IS NULL AND u.id = s.user_id RETURNING s.user_id, s.device_id, u.localpart")
        .execute(Tuple.of(sessionId, Sql.ts(at), reason))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new Finished(row.getUUID("user_id"), row.getString("localpart"), row.getString("device_id")));
        });
  }

  @Override
  public Future<List<UUID>> openOfDevice(UUID userId, String deviceId) {
    return db.sql().preparedQuery("SELECT id FROM auth.sessions WHERE user_id = $1 AND device_id = $2 AND finished_at IS NULL")
        .execute(Tuple.of(userId, deviceId))
        .map(PgSessionStore::ids);
  }

  @Override
  public Future<List<UUID>> openOfUser(UUID userId) {
    return db.sql().preparedQuery("SELECT id FROM auth.sessions WHERE user_id = $1 AND finished_at IS NULL")
        .execute(Tuple.of(userId))
        .map(PgSessionStore::ids);
  }

  private static List<UUID> ids(RowSet<Row> rows) {
    List<UUID> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.getUUID("id")));
    return ids;
  }

  @Override
  public Future<List<OpenSession>> openSessions(UUID userId) {
    return db.sql().preparedQuery("""
            SELECT s.id, s.client_id, c.metadata->>'client_name' AS client_name, s.device_id, s.scope, s.created_at
            FROM auth.sessions s JOIN auth.clients c ON c.client_id = s.client_id
            WHERE s.user_id = $1 AND s.finished_at IS NULL
            ORDER BY s.created_at DESC""")
        .execute(Tuple.of(userId))
        .map(rows -> {
          List<OpenSession> result = new ArrayList<>();
          rows.forEach(r -> result.add(new OpenSession(r.getUUID("id"), r.getString("client_id"),
              r.getString("client_name"), r.getString("device_id"), r.getString("scope"), Sql.instant(r, "created_at"))));
          return result;
        });
  }

  @Override
  public Future<Optional<UUID>> sessionOfToken(byte[] tokenHash) {
    return db.sql().preparedQuery("SELECT session_id FROM auth.access_tokens WHERE token_hash = $1"
            + " UNION ALL SELECT session_id FROM auth.refresh_tokens WHERE token_hash = $1 LIMIT 1")
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("session_id")));
  }
}
