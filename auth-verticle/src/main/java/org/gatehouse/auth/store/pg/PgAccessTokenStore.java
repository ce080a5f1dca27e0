package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.AccessGrant;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.store.AccessTokenStore;
import org.gatehouse.auth.store.NewToken;

final class PgAccessTokenStore implements AccessTokenStore {
  private final Db db;

  PgAccessTokenStore(Db db) {
    this.db = db;
  }

  @Override
  public Future<NewToken> add(UUID sessionId, Instant at, Instant expiresAt) {
    String access = TokenFormat.ACCESS.generate();
    UUID accessId = UUID.randomUUID();
    return db.sql().preparedQuery("INSERT INTO auth.access_tokens (id, token_hash, session_id, created_at, expires_at)"
            + " VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(accessId, Buffer.buffer(Digests.sha256(access)), sessionId, Sql.ts(at), Sql.ts(expiresAt)))
        .map(done -> new NewToken(accessId, access));
  }

  @Override
  public Future<Optional<AccessGrant>> grant(byte[] tokenHash) {
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
  public Future<Optional<String>> revoke(UUID tokenId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.access_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1"
            + " RETURNING token_hash")
        .execute(Tuple.of(tokenId, Sql.ts(at)))
        .map(revoked -> revoked.size() == 0 ? Optional.<String>empty()
            : Optional.of(hex(revoked.iterator().next())));
  }

  @Override
  public Future<Optional<String>> revokeIssuedWith(UUID refreshTokenId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.access_tokens a SET revoked_at = $2 FROM auth.refresh_tokens r"
            + " WHERE r.id = $1 AND a.id = r.access_token_id AND a.revoked_at IS NULL"
            + " RETURNING a.token_hash, a.first_used_at")
        .execute(Tuple.of(refreshTokenId, Sql.ts(at)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          // Only tokens that were used are ever cached (RequesterResolver caches after the first use).
          return r.getValue("first_used_at") == null ? Optional.empty() : Optional.of(hex(r));
        });
  }

  @Override
  public Future<List<String>> revokeAllOfSession(UUID sessionId, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.access_tokens SET revoked_at = $2 WHERE session_id = $1 AND revoked_at IS NULL"
            + " RETURNING token_hash")
        .execute(Tuple.of(sessionId, Sql.ts(at)))
        .map(rows -> {
          List<String> hashes = new ArrayList<>();
          rows.forEach(r -> hashes.add(hex(r)));
          return hashes;
        });
  }

  private static String hex(Row row) {
    return HexFormat.of().formatHex(row.getBuffer("token_hash").getBytes());
  }
}
