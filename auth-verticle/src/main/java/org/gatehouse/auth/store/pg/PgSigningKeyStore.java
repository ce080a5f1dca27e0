package org.gatehouse.auth.store.pg;

import com.nimbusds.jose.jwk.JWK;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.auth.store.SigningKeyStore;

public final class PgSigningKeyStore implements SigningKeyStore {
  private final Db db;
  private final Clock clock;

  PgSigningKeyStore(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Future<List<JWK>> active() {
    return db.sql().query("SELECT private_jwk FROM auth.signing_keys WHERE retired_at IS NULL ORDER BY created_at, kid")
        .execute()
        .map(rows -> {
          List<JWK> keys = new ArrayList<>();
          for (var row : rows) {
            try {
              keys.add(JWK.parse(row.getString("private_jwk")));
            } catch (ParseException e) {
              throw new IllegalStateException("a stored signing key cannot be parsed", e);
            }
          }
          return keys;
        });
  }

  @Override
  public Future<Void> add(JWK key) {
    return db.sql().preparedQuery("INSERT INTO auth.signing_keys (kid, algorithm, private_jwk, created_at) VALUES ($1, $2, $3, $4)"
            + " ON CONFLICT (kid) DO NOTHING")
        .execute(Tuple.of(key.getKeyID(), String.valueOf(key.getAlgorithm()), key.toJSONString(), Sql.ts(clock.instant())))
        .mapEmpty();
  }
}
