package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.LoginTokenStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The legacy SSO flow's login tokens on PostgreSQL: each redeemed once, by one caller, before it expires. */
@ExtendWith(VertxExtension.class)
class PgLoginTokenStoreTest {
  static final Instant NOW = TestStores.START;

  TestStores db;
  LoginTokenStore tokens;
  User alice;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    tokens = db.stores.loginTokens();
    alice = db.user("alice");
  }

  @Test
  void aTokenIsRedeemedOnceForItsAccount() {
    byte[] hash = Digests.sha256("mlt_one");
    tokens.add(hash, alice.id(), NOW, NOW.plusSeconds(120)).await();
    assertThat(tokens.consume(Digests.sha256("mlt_other"), NOW).await()).isEmpty();
    assertThat(tokens.consume(hash, NOW.plusSeconds(1)).await()).contains(alice.id());
    assertThat(tokens.consume(hash, NOW.plusSeconds(2)).await()).isEmpty();
  }

  @Test
  void anExpiredTokenIsNotRedeemed() {
    byte[] hash = Digests.sha256("mlt_late");
    tokens.add(hash, alice.id(), NOW, NOW.plusSeconds(120)).await();
    assertThat(tokens.consume(hash, NOW.plusSeconds(120)).await()).isEmpty();
  }

  @Test
  void ofCallersRedeemingTheSameTokenAtOnceExactlyOneGetsIt() {
    byte[] hash = Digests.sha256("mlt_raced");
    tokens.add(hash, alice.id(), NOW, NOW.plusSeconds(120)).await();
    List<Future<Optional<UUID>>> attempts = List.of(tokens.consume(hash, NOW), tokens.consume(hash, NOW),
        tokens.consume(hash, NOW), tokens.consume(hash, NOW));
    Future.all(attempts).await();
    assertThat(attempts.stream().filter(a -> a.result().isPresent()).count()).isEqualTo(1);
  }
}
