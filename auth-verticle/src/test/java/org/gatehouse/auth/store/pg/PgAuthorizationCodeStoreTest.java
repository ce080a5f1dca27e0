package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.AuthorizationCodeStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authorization codes on PostgreSQL: every field of a pending code, found by digest only, and its exchange. That a
 * locked code stays locked until its transaction ends is {@link PgStoresTest}'s case.
 */
@ExtendWith(VertxExtension.class)
class PgAuthorizationCodeStoreTest {
  static final Instant AUTH_TIME = TestStores.START.minusSeconds(30);
  static final Instant CREATED = TestStores.START;
  static final Instant EXPIRES = CREATED.plus(Duration.ofMinutes(10));

  TestStores db;
  AuthorizationCodeStore codes;
  User alice;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    codes = db.stores.codes();
    alice = db.user("alice");
    db.client();
  }

  private CodeGrant issued(String code, boolean redirectUriSent, String nonce) {
    return CodeGrant.issued(Digests.sha256(code), TestStores.CLIENT, alice.id(), "https://client.test/cb",
        redirectUriSent, "openid urn:matrix:client:api:*", "c".repeat(43), nonce, AUTH_TIME, CREATED, EXPIRES);
  }

  @Test
  void aPendingCodeComesBackWithEveryFieldByItsDigest() {
    CodeGrant code = issued("code-1", false, "n-0S6_WzA2Mj");
    codes.insert(code).await();
    CodeGrant found = codes.find(Digests.sha256("code-1")).await().orElseThrow();
    assertThat(found).usingRecursiveComparison().isEqualTo(code);
    assertThat(found.state()).isEqualTo(new CodeGrant.Pending());
    assertThat(codes.lock(Digests.sha256("code-1")).await()).get().usingRecursiveComparison().isEqualTo(code);

    codes.insert(issued("code-2", true, null)).await();
    CodeGrant other = codes.find(Digests.sha256("code-2")).await().orElseThrow();
    assertThat(other.redirectUriSent()).isTrue();
    assertThat(other.nonce()).isNull();
    assertThat(codes.find(Digests.sha256("code-3")).await()).isEmpty();
  }

  @Test
  void aCodeIsStoredOnce() {
    codes.insert(issued("code-1", false, null)).await();
    assertThatThrownBy(() -> codes.insert(issued("code-1", true, "other")).await()).hasMessageContaining("duplicate");
    assertThat(codes.find(Digests.sha256("code-1")).await().orElseThrow().redirectUriSent()).isFalse();
  }

  @Test
  void theExchangeIsStoredWithItsTimeAndSession() {
    CodeGrant code = issued("code-1", false, null);
    codes.insert(code).await();
    UUID session = db.session(alice, null);
    Instant at = CREATED.plusSeconds(5);
    codes.markExchanged(code.exchange(session, at)).await();
    CodeGrant exchanged = codes.find(Digests.sha256("code-1")).await().orElseThrow();
    assertThat(exchanged.state()).isEqualTo(new CodeGrant.Exchanged(at, session));
    assertThat(exchanged.exchanged()).isTrue();
    assertThat(exchanged.redirectUri()).isEqualTo(code.redirectUri());
  }
}
