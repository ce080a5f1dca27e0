package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.AccessGrant;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.RefreshState;
import org.gatehouse.auth.domain.SessionEnd;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.auth.store.Sql;

public final class PgSessionStore implements SessionStore {
  private final Db db;
  private final Clock clock;

  PgSessionStore(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Future<UUID> createSession(UUID userId, String deviceId, String clientId, String scope) {
    UUID id = UUID.randomUUID();
    return db.sql().preparedQuery("INSERT INTO auth.sessions (id, user_id, device_id, client_id, scope, created_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(id, userId, deviceId, clientId, scope, Sql.ts(clock.instant())))
        .map(id);
  }

  @Override
  public Future<IssuedTokens> issueTokens(UUID sessionId, Duration accessLifetime) {
    Instant now = clock.instant();
    String access = TokenFormat.ACCESS.generate();
    String refresh = TokenFormat.REFRESH.generate();
    UUID accessId = UUID.randomUUID();
    UUID refreshId = UUID.randomUUID();
    Instant expiresAt = now.plus(accessLifetime);
    return db.sql().preparedQuery("INSERT INTO auth.access_tokens (id, token_hash, session_id, created_at, expires_at)"
            + " VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(accessId, Buffer.buffer(Digests.sha256(access)), sessionId, Sql.ts(now), Sql.ts(expiresAt)))
        .compose(done -> db.sql().preparedQuery("INSERT INTO auth.refresh_tokens (id, token_hash, session_id, access_token_id,"
                + " created_at) VALUES ($1, $2, $3, $4, $5)")
            .execute(Tuple.of(refreshId, Buffer.buffer(Digests.sha256(refresh)), sessionId, accessId, Sql.ts(now))))
        .map(done -> new IssuedTokens(access, refresh, accessId, refreshId, expiresAt));
  }

  @Override
  public Future<Optional<AccessGrant>> accessGrant(byte[] tokenHash) {
    return db.sql().preparedQuery("""
            SELECT t.id, t.created_at, t.expires_at, t.revoked_at, t.first_used_at, s.id AS session_id, s.device_id,
                   s.client_id, s.scope, s.finished_at, u.id AS user_id, u.localpart, u.admin, u.deactivated_at
            FROM auth.access_tokens t
            JOIN auth.sessions s ON s.id = t.session_id
            JOIN auth.users u ON u.id = s.user_id
            WHERE t.token_hash = $1""")
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new AccessGrant(r.getUUID("id"), r.getUUID("session_id"), r.getUUID("user_id"),
              r.getString("localpart"), r.getBoolean("admin"), Sql.instant(r, "deactivated_at"), r.getString("device_id"),
              r.getString("client_id"), r.getString("scope"), Sql.instant(r, "created_at"), Sql.instant(r, "expires_at"),
              Sql.instant(r, "revoked_at"), Sql.instant(r, "finished_at"), Sql.instant(r, "first_used_at")));
        });
  }

  @Override
  public Future<Void> markFirstUse(UUID tokenId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.access_tokens SET first_used_at = $2 WHERE id = $1 AND first_used_at IS NULL")
        .execute(Tuple.of(tokenId, Sql.ts(at))).mapEmpty();
  }

  @Override
  public Future<Optional<RefreshState>> lockRefreshToken(byte[] tokenHash) {
    return refreshState(tokenHash, " FOR UPDATE OF r");
  }

  @Override
  public Future<Optional<RefreshState>> refreshState(byte[] tokenHash) {
    return refreshState(tokenHash, "");
  }

  private Future<Optional<RefreshState>> refreshState(byte[] tokenHash, String locking) {
    return db.sql().preparedQuery("""
            SELECT r.id, r.session_id, r.consumed_at, r.revoked_at, r.next_id,
                   (n.consumed_at IS NOT NULL OR n.revoked_at IS NOT NULL OR na.first_used_at IS NOT NULL) AS next_used,
                   s.client_id, s.device_id, s.scope, s.finished_at, u.id AS user_id, u.localpart, u.admin, u.deactivated_at
            FROM auth.refresh_tokens r
            JOIN auth.sessions s ON s.id = r.session_id
            JOIN auth.users u ON u.id = s.user_id
            LEFT JOIN auth.refresh_tokens n ON n.id = r.next_id
            LEFT JOIN auth.access_tokens na ON na.id = n.access_token_id
            WHERE r.token_hash = $1""" + locking)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          Boolean nextUsed = r.getBoolean("next_used");
          return Optional.of(new RefreshState(r.getUUID("id"), r.getUUID("session_id"), Sql.instant(r, "consumed_at"),
              Sql.instant(r, "revoked_at"), r.getUUID("next_id"), nextUsed != null && nextUsed, r.getString("client_id"),
              r.getUUID("user_id"), r.getString("localpart"), r.getBoolean("admin"), Sql.instant(r, "deactivated_at"),
              r.getString("device_id"), r.getString("scope"), Sql.instant(r, "finished_at")));
        });
  }

  @Override
  public Future<Void> setSuccessor(UUID refreshId, UUID nextId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.refresh_tokens SET consumed_at = COALESCE(consumed_at, $3), next_id = $2"
            + " WHERE id = $1")
        .execute(Tuple.of(refreshId, nextId, Sql.ts(at))).mapEmpty();
  }

  @Override
  public Future<Optional<String>> revokeUnusedPair(UUID refreshId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.refresh_tokens SET revoked_at = $2 WHERE id = $1 RETURNING access_token_id")
        .execute(Tuple.of(refreshId, Sql.ts(at)))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.empty())
            : db.sql().preparedQuery("UPDATE auth.access_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1"
                    + " RETURNING token_hash")
                .execute(Tuple.of(rows.iterator().next().getUUID("access_token_id"), Sql.ts(at)))
                .map(revoked -> revoked.size() == 0 ? Optional.<String>empty()
                    : Optional.of(HexFormat.of().formatHex(revoked.iterator().next().getBuffer("token_hash").getBytes()))));
  }

  @Override
  public Future<Optional<String>> revokeAccessTokenOf(UUID refreshId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.access_tokens a SET revoked_at = $2 FROM auth.refresh_tokens r"
            + " WHERE r.id = $1 AND a.id = r.access_token_id AND a.revoked_at IS NULL"
            + " RETURNING a.token_hash, a.first_used_at")
        .execute(Tuple.of(refreshId, Sql.ts(at)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          // Only tokens that were used are ever cached (RequesterResolver caches after the first use).
          return r.getValue("first_used_at") == null ? Optional.empty()
              : Optional.of(HexFormat.of().formatHex(r.getBuffer("token_hash").getBytes()));
        });
  }

  @Override
  public Future<Optional<SessionEnd>> finishSession(UUID sessionId, String reason) {
    Instant now = clock.instant();
    return db.sql().preparedQuery("UPDATE auth.sessions s SET finished_at = $2, finish_reason = $3 FROM auth.users u"
            + " WHERE s.id = $1 AND s.finished_at IS NULL AND u.id = s.user_id RETURNING s.user_id, s.device_id, u.localpart")
        .execute(Tuple.of(sessionId, Sql.ts(now), reason))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row row = rows.iterator().next();
          UUID userId = row.getUUID("user_id");
          String deviceId = row.getString("device_id");
          String localpart = row.getString("localpart");
          return revokeTokensOf(sessionId, now)
              .compose(hashes -> deleteDeviceIfUnused(userId, deviceId)
                  .map(deleted -> Optional.of(new SessionEnd(sessionId, userId, localpart, deviceId, deleted, hashes))));
        });
  }

  @Override
  public Future<List<SessionEnd>> finishSessionsOfDevice(UUID userId, String deviceId, String reason) {
    return db.sql().preparedQuery("SELECT id FROM auth.sessions WHERE user_id = $1 AND device_id = $2 AND finished_at IS NULL")
        .execute(Tuple.of(userId, deviceId))
        .compose(rows -> finishAll(ids(rows), reason));
  }

  @Override
  public Future<List<SessionEnd>> finishSessionsOfUser(UUID userId, String reason) {
    return db.sql().preparedQuery("SELECT id FROM auth.sessions WHERE user_id = $1 AND finished_at IS NULL")
        .execute(Tuple.of(userId))
        .compose(rows -> finishAll(ids(rows), reason));
  }

  private Future<List<SessionEnd>> finishAll(List<UUID> sessions, String reason) {
    List<SessionEnd> ended = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (UUID id : sessions) {
      chain = chain.compose(done -> finishSession(id, reason).map(end -> {
        end.ifPresent(ended::add);
        return null;
      }));
    }
    return chain.map(ended);
  }

  private static List<UUID> ids(RowSet<Row> rows) {
    List<UUID> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.getUUID("id")));
    return ids;
  }

  private Future<List<String>> revokeTokensOf(UUID sessionId, Instant now) {
    return db.sql().preparedQuery("UPDATE auth.access_tokens SET revoked_at = $2 WHERE session_id = $1 AND revoked_at IS NULL"
            + " RETURNING token_hash")
        .execute(Tuple.of(sessionId, Sql.ts(now)))
        .compose(rows -> {
          List<String> hashes = new ArrayList<>();
          rows.forEach(r -> hashes.add(HexFormat.of().formatHex(r.getBuffer("token_hash").getBytes())));
          return db.sql().preparedQuery("UPDATE auth.refresh_tokens SET revoked_at = $2 WHERE session_id = $1 AND revoked_at IS NULL")
              .execute(Tuple.of(sessionId, Sql.ts(now))).map(hashes);
        });
  }

  private Future<Boolean> deleteDeviceIfUnused(UUID userId, String deviceId) {
    if (deviceId == null) {
      return Future.succeededFuture(false);
    }
    return db.sql().preparedQuery("""
            DELETE FROM auth.devices d WHERE d.user_id = $1 AND d.device_id = $2
              AND NOT EXISTS (SELECT 1 FROM auth.sessions s
                              WHERE s.user_id = $1 AND s.device_id = $2 AND s.finished_at IS NULL)""")
        .execute(Tuple.of(userId, deviceId)).map(rows -> rows.rowCount() == 1);
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
