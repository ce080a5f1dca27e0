package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.RefreshState;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.store.NewToken;
import org.gatehouse.auth.store.RefreshTokenStore;

final class PgRefreshTokenStore implements RefreshTokenStore {
  private final Db db;

  PgRefreshTokenStore(Db db) {
    this.db = db;
  }

  @Override
  public Future<NewToken> add(UUID sessionId, UUID accessTokenId, Instant at) {
    String refresh = TokenFormat.REFRESH.generate();
    UUID refreshId = UUID.randomUUID();
    return db.sql().preparedQuery("INSERT INTO auth.refresh_tokens (id, token_hash, session_id, access_token_id,"
            + " created_at) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(refreshId, Buffer.buffer(Digests.sha256(refresh)), sessionId, accessTokenId, Sql.ts(at)))
        .map(done -> new NewToken(refreshId, refresh));
  }

  @Override
  public Future<Optional<RefreshState>> lock(byte[] tokenHash) {
    return state(tokenHash, " FOR UPDATE OF r");
  }

  @Override
  public Future<Optional<RefreshState>> find(byte[] tokenHash) {
    return state(tokenHash, "");
  }

  private Future<Optional<RefreshState>> state(byte[] tokenHash, String locking) {
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
  public Future<Optional<UUID>> revoke(UUID refreshId, Instant at) {
    // The first revocation's time is kept, as for access tokens.
    return db.sql().preparedQuery("UPDATE auth.refresh_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1"
            + " RETURNING access_token_id")
        .execute(Tuple.of(refreshId, Sql.ts(at)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("access_token_id")));
  }

  @Override
  public Future<Void> revokeAllOfSession(UUID sessionId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.refresh_tokens SET revoked_at = $2 WHERE session_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(sessionId, Sql.ts(at))).mapEmpty();
  }
}
