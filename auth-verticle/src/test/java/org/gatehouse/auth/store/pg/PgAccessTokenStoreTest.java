package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.AccessGrant;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.AccessTokenStore;
import org.gatehouse.auth.store.NewToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Access tokens on PostgreSQL: found by digest with their session and account, first use and revocation recorded
 * once, and the digests of what a revocation touched handed back for the near caches.
 */
@ExtendWith(VertxExtension.class)
class PgAccessTokenStoreTest {
  static final Instant ISSUED = TestStores.START;
  static final Instant EXPIRES = ISSUED.plusSeconds(300);
  static final Instant LATER = ISSUED.plusSeconds(60);

  TestStores db;
  AccessTokenStore tokens;
  User alice;
  UUID session;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    tokens = db.stores.accessTokens();
    alice = db.stores.users().create("alice", null, true, null).await();
    session = db.session(alice, "PHONE");
  }

  private AccessGrant grant(NewToken token) {
    return tokens.grant(Digests.sha256(token.token())).await().orElseThrow();
  }

  private static String hex(NewToken token) {
    return HexFormat.of().formatHex(Digests.sha256(token.token()));
  }

  @Test
  void aTokenIsFoundByItsDigestWithItsSessionAndAccount() {
    NewToken token = tokens.add(session, ISSUED, EXPIRES).await();
    assertThat(TokenFormat.ACCESS.matches(token.token())).isTrue();
    assertThat(grant(token)).isEqualTo(new AccessGrant(token.id(), session, alice.id(), "alice", true, null, "PHONE",
        TestStores.CLIENT, "openid", ISSUED, EXPIRES, null, null, null));
    // Only the digest is stored: the token itself finds nothing.
    assertThat(tokens.grant(token.token().getBytes()).await()).isEmpty();
    assertThat(tokens.grant(Digests.sha256(TokenFormat.ACCESS.generate())).await()).isEmpty();
  }

  @Test
  void theGrantShowsAFinishedSessionAndADeactivatedAccount() {
    db.stores.users().create("root", null, true, null).await();
    NewToken token = tokens.add(session, ISSUED, EXPIRES).await();
    db.stores.sessions().finish(session, "logout", LATER).await();
    db.stores.users().deactivate("alice").await();
    AccessGrant grant = grant(token);
    assertThat(grant.sessionFinishedAt()).isEqualTo(LATER);
    assertThat(grant.userDeactivatedAt()).isEqualTo(TestStores.START);
    assertThat(grant.activeAt(ISSUED)).isFalse();
  }

  @Test
  void theFirstUseIsRecordedOnce() {
    NewToken token = tokens.add(session, ISSUED, EXPIRES).await();
    tokens.markFirstUse(token.id(), LATER).await();
    tokens.markFirstUse(token.id(), LATER.plusSeconds(30)).await();
    assertThat(grant(token).firstUsedAt()).isEqualTo(LATER);
  }

  @Test
  void aRevocationKeepsTheFirstTimeAndAnswersTheDigest() {
    NewToken token = tokens.add(session, ISSUED, EXPIRES).await();
    assertThat(tokens.revoke(token.id(), LATER).await()).contains(hex(token));
    assertThat(tokens.revoke(token.id(), LATER.plusSeconds(30)).await()).contains(hex(token));
    assertThat(grant(token).revokedAt()).isEqualTo(LATER);
    assertThat(tokens.revoke(UUID.randomUUID(), LATER).await()).isEmpty();
  }

  @Test
  void theTokenIssuedWithARefreshTokenIsRevokedOnceAndItsDigestAnsweredOnlyIfItWasUsed() {
    NewToken unused = tokens.add(session, ISSUED, EXPIRES).await();
    NewToken unusedRefresh = db.stores.refreshTokens().add(session, unused.id(), ISSUED).await();
    NewToken used = tokens.add(session, ISSUED, EXPIRES).await();
    NewToken usedRefresh = db.stores.refreshTokens().add(session, used.id(), ISSUED).await();
    tokens.markFirstUse(used.id(), ISSUED.plusSeconds(1)).await();

    // Never used, so in no near cache: revoked all the same, with no digest to forget.
    assertThat(tokens.revokeIssuedWith(unusedRefresh.id(), LATER).await()).isEmpty();
    assertThat(grant(unused).revokedAt()).isEqualTo(LATER);
    assertThat(tokens.revokeIssuedWith(usedRefresh.id(), LATER).await()).contains(hex(used));
    // Only a live token is revoked: a second call finds nothing and keeps the first time.
    assertThat(tokens.revokeIssuedWith(usedRefresh.id(), LATER.plusSeconds(30)).await()).isEmpty();
    assertThat(grant(used).revokedAt()).isEqualTo(LATER);
    assertThat(tokens.revokeIssuedWith(UUID.randomUUID(), LATER).await()).isEmpty();
  }

  @Test
  void revokingASessionsTokensRevokesTheLiveOnesOnlyAndAnswersTheirDigests() {
    NewToken live = tokens.add(session, ISSUED, EXPIRES).await();
    NewToken revoked = tokens.add(session, ISSUED, EXPIRES).await();
    tokens.revoke(revoked.id(), ISSUED.plusSeconds(1)).await();
    NewToken otherSession = tokens.add(db.session(alice, "LAPTOP"), ISSUED, EXPIRES).await();

    assertThat(tokens.revokeAllOfSession(session, LATER).await()).containsExactly(hex(live));
    assertThat(grant(live).revokedAt()).isEqualTo(LATER);
    assertThat(grant(revoked).revokedAt()).isEqualTo(ISSUED.plusSeconds(1));
    assertThat(grant(otherSession).revokedAt()).isNull();
    assertThat(tokens.revokeAllOfSession(session, LATER.plusSeconds(30)).await()).isEmpty();
  }
}
