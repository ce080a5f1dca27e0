package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.NewToken;
import org.gatehouse.auth.store.SessionStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OAuth sessions on PostgreSQL: finished once, the open ones of a user and a device, and the session of a token. */
@ExtendWith(VertxExtension.class)
class PgSessionStoreTest {
  TestStores db;
  SessionStore sessions;
  User alice;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    sessions = db.stores.sessions();
    alice = db.user("alice");
  }

  @Test
  void openSessionsComeBackWithEveryFieldNewestFirst() {
    UUID older = db.session(alice, "PHONE");
    db.clock.advance(Duration.ofMinutes(1));
    db.client();
    UUID newer = sessions.create(alice.id(), null, TestStores.CLIENT, "openid urn:matrix:client:api:*").await();
    db.session(db.user("bob"), "BOB");
    assertThat(sessions.openSessions(alice.id()).await()).containsExactly(
        new SessionStore.OpenSession(newer, TestStores.CLIENT, TestStores.CLIENT_NAME, null,
            "openid urn:matrix:client:api:*", TestStores.START.plusSeconds(60)),
        new SessionStore.OpenSession(older, TestStores.CLIENT, TestStores.CLIENT_NAME, "PHONE", "openid",
            TestStores.START));
  }

  @Test
  void aSessionIsFinishedOnceAndKeepsItsFirstEnd() {
    UUID session = db.session(alice, "PHONE");
    NewToken access = db.stores.accessTokens().add(session, TestStores.START, TestStores.START.plusSeconds(300)).await();
    Instant end = TestStores.START.plusSeconds(10);
    assertThat(sessions.finish(session, "logout", end).await())
        .contains(new SessionStore.Finished(alice.id(), "alice", "PHONE"));
    assertThat(sessions.finish(session, "admin", end.plusSeconds(10)).await()).isEmpty();
    assertThat(db.stores.accessTokens().grant(Digests.sha256(access.token())).await().orElseThrow().sessionFinishedAt())
        .isEqualTo(end);
    assertThat(sessions.finish(UUID.randomUUID(), "logout", end).await()).isEmpty();
    assertThat(sessions.finish(db.session(alice, null), "logout", end).await())
        .contains(new SessionStore.Finished(alice.id(), "alice", null));
  }

  @Test
  void theOpenFiltersLeaveFinishedSessionsAndOtherDevicesOut() {
    UUID phone = db.session(alice, "PHONE");
    UUID laptop = db.session(alice, "LAPTOP");
    UUID finished = db.session(alice, "PHONE");
    sessions.finish(finished, "logout", TestStores.START).await();
    db.session(db.user("bob"), "PHONE");
    assertThat(sessions.openOfDevice(alice.id(), "PHONE").await()).containsExactly(phone);
    assertThat(sessions.openOfUser(alice.id()).await()).containsExactlyInAnyOrder(phone, laptop);
    assertThat(sessions.openSessions(alice.id()).await()).extracting(SessionStore.OpenSession::sessionId)
        .containsExactlyInAnyOrder(phone, laptop);
  }

  @Test
  void theSessionOfAnAccessOrARefreshTokenIsFoundByItsDigestWhateverItsState() {
    UUID session = db.session(alice, "PHONE");
    NewToken access = db.stores.accessTokens().add(session, TestStores.START, TestStores.START.plusSeconds(300)).await();
    NewToken refresh = db.stores.refreshTokens().add(session, access.id(), TestStores.START).await();
    assertThat(sessions.sessionOfToken(Digests.sha256(access.token())).await()).contains(session);
    assertThat(sessions.sessionOfToken(Digests.sha256(refresh.token())).await()).contains(session);
    sessions.finish(session, "logout", TestStores.START).await();
    assertThat(sessions.sessionOfToken(Digests.sha256(refresh.token())).await()).contains(session);
    assertThat(sessions.sessionOfToken(Digests.sha256("unknown")).await()).isEmpty();
  }
}
