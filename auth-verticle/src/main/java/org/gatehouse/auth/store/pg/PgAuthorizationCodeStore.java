package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.store.AuthorizationCodeStore;

final class PgAuthorizationCodeStore implements AuthorizationCodeStore {
  private final Db db;

  PgAuthorizationCodeStore(Db db) {
    this.db = db;
  }

  @Override
  public Future<Void> insert(CodeGrant code) {
    return db.sql().preparedQuery("""
            INSERT INTO auth.authorization_codes (code_hash, client_id, user_id, redirect_uri, redirect_uri_sent, scope,
                                                  code_challenge, nonce, auth_time, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
        .execute(Tuple.from(new Object[] {Buffer.buffer(code.codeHash()), code.clientId(), code.userId(), code.redirectUri(),
            code.redirectUriSent(), code.scope(), code.codeChallenge(), code.nonce(), Sql.ts(code.authTime()),
            Sql.ts(code.createdAt()), Sql.ts(code.expiresAt())}))
        .mapEmpty();
  }

  @Override
  public Future<Optional<CodeGrant>> lock(byte[] codeHash) {
    return read(codeHash, " FOR UPDATE");
  }

  @Override
  public Future<Optional<CodeGrant>> find(byte[] codeHash) {
    return read(codeHash, "");
  }

  private Future<Optional<CodeGrant>> read(byte[] codeHash, String lock) {
    return db.sql().preparedQuery("SELECT * FROM auth.authorization_codes WHERE code_hash = $1" + lock)
        .execute(Tuple.of(Buffer.buffer(codeHash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          Instant exchangedAt = Sql.instant(r, "exchanged_at");
          CodeGrant.CodeState state = exchangedAt == null ? new CodeGrant.Pending()
              : new CodeGrant.Exchanged(exchangedAt, r.getUUID("session_id"));
          return Optional.of(new CodeGrant(codeHash, r.getString("client_id"), r.getUUID("user_id"),
              r.getString("redirect_uri"), r.getBoolean("redirect_uri_sent"), r.getString("scope"), r.getString("code_challenge"), r.getString("nonce"),
              Sql.instant(r, "auth_time"), Sql.instant(r, "created_at"), Sql.instant(r, "expires_at"), state));
        });
  }

  @Override
  public Future<Void> markExchanged(CodeGrant code) {
    CodeGrant.Exchanged exchanged = (CodeGrant.Exchanged) code.state();
    return db.sql().preparedQuery("UPDATE auth.authorization_codes SET exchanged_at = $2, session_id = $3 WHERE code_hash = $1")
        .execute(Tuple.of(Buffer.buffer(code.codeHash()), Sql.ts(exchanged.at()), exchanged.sessionId())).mapEmpty();
  }
}
