package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.gatehouse.auth.store.SigningKeyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signing keys on PostgreSQL: kept whole (private part included), oldest first, once per key ID, retired ones left out. */
@ExtendWith(VertxExtension.class)
class PgSigningKeyStoreTest {
  TestStores db;
  SigningKeyStore keys;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    keys = db.stores.signingKeys();
  }

  private static JWK key(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).generate();
  }

  @Test
  void activeKeysComeBackWholeOldestFirst() throws Exception {
    assertThat(keys.active().await()).isEmpty();
    JWK newer = key("a-newer");
    JWK older = key("z-older");
    JWK sameTime = key("m-same-time");
    keys.add(older).await();
    keys.add(sameTime).await();
    db.clock.advance(Duration.ofSeconds(1));
    keys.add(newer).await();
    // Created together: by key ID.
    assertThat(keys.active().await()).extracting(JWK::toJSONObject)
        .containsExactly(sameTime.toJSONObject(), older.toJSONObject(), newer.toJSONObject());
    assertThat(keys.active().await().get(0).isPrivate()).isTrue();
  }

  @Test
  void aKeyIdIsStoredOnceTheFirstKeyKept() throws Exception {
    JWK first = key("kid-1");
    keys.add(first).await();
    keys.add(key("kid-1")).await();
    assertThat(keys.active().await()).extracting(JWK::toJSONObject).containsExactly(first.toJSONObject());
  }

  @Test
  void aRetiredKeyIsNotActive() throws Exception {
    keys.add(key("kept")).await();
    keys.add(key("retired")).await();
    db.pool.preparedQuery("UPDATE auth.signing_keys SET retired_at = now() WHERE kid = $1").execute(Tuple.of("retired"))
        .await();
    assertThat(keys.active().await()).extracting(JWK::getKeyID).containsExactly("kept");
  }
}
