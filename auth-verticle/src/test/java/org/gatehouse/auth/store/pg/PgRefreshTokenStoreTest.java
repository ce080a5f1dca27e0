package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.RefreshState;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.NewToken;
import org.gatehouse.auth.store.RefreshTokenStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refresh tokens on PostgreSQL: the state a refresh is decided on (session, account, successor and whether that was
 * used), consumption kept at its first time, revocation, and the row lock a refresh holds.
 */
@ExtendWith(VertxExtension.class)
class PgRefreshTokenStoreTest {
  static final Instant ISSUED = TestStores.START;
  static final Instant LATER = ISSUED.plusSeconds(60);

  TestStores db;
  RefreshTokenStore tokens;
  User alice;
  UUID session;

  /** A refresh token and the access token issued with it. */
  record Pair(NewToken refresh, UUID accessId) {
    UUID id() {
      return refresh.id();
    }

    byte[] digest() {
      return Digests.sha256(refresh.token());
    }
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    tokens = db.stores.refreshTokens();
    alice = db.user("alice");
    session = db.session(alice, "PHONE");
  }

  private Pair pair(UUID sessionId) {
    NewToken access = db.stores.accessTokens().add(sessionId, ISSUED, ISSUED.plusSeconds(300)).await();
    return new Pair(tokens.add(sessionId, access.id(), ISSUED).await(), access.id());
  }

  private Pair pair() {
    return pair(session);
  }

  private RefreshState state(Pair pair) {
    return tokens.find(pair.digest()).await().orElseThrow();
  }

  @Test
  void aTokenIsFoundByItsDigestWithItsSessionAndAccount() {
    Pair pair = pair();
    assertThat(TokenFormat.REFRESH.matches(pair.refresh().token())).isTrue();
    assertThat(state(pair)).isEqualTo(new RefreshState(pair.id(), session, null, null, null, false, TestStores.CLIENT,
        alice.id(), "alice", false, null, "PHONE", "openid", null));
    assertThat(tokens.find(pair.refresh().token().getBytes()).await()).isEmpty();
    assertThat(tokens.lock(Digests.sha256(TokenFormat.REFRESH.generate())).await()).isEmpty();

    db.stores.sessions().finish(session, "logout", LATER).await();
    db.stores.users().deactivate("alice").await();
    RefreshState ended = state(pair);
    assertThat(ended.sessionFinishedAt()).isEqualTo(LATER);
    assertThat(ended.userDeactivatedAt()).isEqualTo(TestStores.START);
  }

  @Test
  void aTokenIsConsumedOnceButItsSuccessorCanBeReplaced() {
    Pair pair = pair();
    Pair next = pair();
    tokens.setSuccessor(pair.id(), next.id(), LATER).await();
    RefreshState used = state(pair);
    assertThat(used.consumedAt()).isEqualTo(LATER);
    assertThat(used.nextId()).isEqualTo(next.id());
    assertThat(used.nextUsed()).isFalse();

    // A reissue after a lost response replaces the successor; the first use still dates the token.
    Pair reissued = pair();
    tokens.setSuccessor(pair.id(), reissued.id(), LATER.plusSeconds(5)).await();
    RefreshState again = state(pair);
    assertThat(again.consumedAt()).isEqualTo(LATER);
    assertThat(again.nextId()).isEqualTo(reissued.id());
  }

  @Test
  void theSuccessorCountsAsUsedOnceConsumedRevokedOrItsAccessTokenUsed() {
    Pair consumed = pair();
    Pair revoked = pair();
    Pair accessUsed = pair();
    for (Pair pair : new Pair[] {consumed, revoked, accessUsed}) {
      Pair next = pair();
      tokens.setSuccessor(pair.id(), next.id(), LATER).await();
      assertThat(state(pair).nextUsed()).isFalse();
      if (pair == consumed) {
        tokens.setSuccessor(next.id(), pair().id(), LATER).await();
      } else if (pair == revoked) {
        tokens.revoke(next.id(), LATER).await();
      } else {
        db.stores.accessTokens().markFirstUse(next.accessId(), LATER).await();
      }
      assertThat(state(pair).nextUsed()).isTrue();
    }
  }

  @Test
  void aRevocationAnswersTheAccessTokenIssuedWithIt() {
    Pair pair = pair();
    assertThat(tokens.revoke(pair.id(), LATER).await()).contains(pair.accessId());
    assertThat(state(pair).revokedAt()).isEqualTo(LATER);
    // Revoking again still names the access token, to be revoked in turn (which keeps its own first time).
    assertThat(tokens.revoke(pair.id(), LATER.plusSeconds(5)).await()).contains(pair.accessId());
    assertThat(state(pair).revokedAt()).isEqualTo(LATER);
    assertThat(tokens.revoke(UUID.randomUUID(), LATER).await()).isEmpty();
  }

  @Test
  void revokingASessionsTokensRevokesTheLiveOnesOnly() {
    Pair live = pair();
    Pair revoked = pair();
    tokens.revoke(revoked.id(), ISSUED.plusSeconds(1)).await();
    Pair otherSession = pair(db.session(alice, "LAPTOP"));
    tokens.revokeAllOfSession(session, LATER).await();
    assertThat(state(live).revokedAt()).isEqualTo(LATER);
    assertThat(state(revoked).revokedAt()).isEqualTo(ISSUED.plusSeconds(1));
    assertThat(state(otherSession).revokedAt()).isNull();
  }

  @Test
  void aLockedTokenStaysLockedUntilItsTransactionEnds() throws Exception {
    Pair pair = pair();
    Pair next = pair();
    // A second refresh with the same token waits for the first one, then reads the successor it stored.
    Optional<RefreshState> seen = db.contended(tx -> tx.refreshTokens().lock(pair.digest()),
        (tx, locked) -> tx.refreshTokens().setSuccessor(locked.orElseThrow().refreshId(), next.id(), LATER),
        tx -> tx.refreshTokens().lock(pair.digest())).await(30, TimeUnit.SECONDS);
    assertThat(seen.orElseThrow().consumedAt()).isEqualTo(LATER);
    assertThat(seen.orElseThrow().nextId()).isEqualTo(next.id());
  }
}
