package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The unit of work on PostgreSQL: it commits, rolls back, and holds the locks its stores take until it ends. */
class PgStoresTest {
  private static AuthTestServer auth;
  private static Stores stores;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start();
    stores = new PgStores(auth.server().pool(), auth.clock());
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  @Test
  void workThatSucceedsIsCommitted() throws Exception {
    User created = await(stores.inTransaction(tx -> tx.users().create("uow-commit", null, false, null)));
    assertThat(await(stores.users().byId(created.id()))).isPresent();
  }

  @Test
  void workThatFailsIsRolledBack() throws Exception {
    Future<Void> failed = stores.inTransaction(tx -> tx.users().create("uow-rollback", null, false, null)
        .compose(user -> Future.failedFuture(new IllegalStateException("changed my mind"))));
    assertThatThrownBy(() -> await(failed)).hasMessageContaining("changed my mind");
    assertThat(await(stores.users().byLocalpart("uow-rollback"))).isEmpty();
  }

  @Test
  void aLockedCodeStaysLockedUntilItsTransactionEnds() throws Exception {
    User user = await(stores.users().create("uow-lock", null, false, null));
    byte[] hash = new byte[32];
    hash[0] = 42;
    Instant now = Instant.now();
    await(stores.codes().insert(CodeGrant.issued(hash, AuthTestServer.STATIC_CLIENT, user.id(), "https://x.test/cb",
        false, "openid", "c".repeat(43), null, now, now, now.plus(Duration.ofMinutes(10)))));

    Promise<Void> locked = Promise.promise();
    Promise<Void> release = Promise.promise();
    Future<UUID> first = stores.inTransaction(tx -> tx.codes().lock(hash).compose(code -> {
      locked.complete();
      return release.future()
          .compose(go -> tx.sessions().create(user.id(), null, AuthTestServer.STATIC_CLIENT, "openid"))
          .compose(session -> tx.codes().markExchanged(code.orElseThrow().exchange(session, now)).map(session));
    }));
    await(locked.future());
    // A second exchange waits for the first transaction, then reads what it committed.
    Future<CodeGrant> second = stores.inTransaction(tx -> tx.codes().lock(hash).map(code -> code.orElseThrow()));
    Thread.sleep(300);
    assertThat(second.isComplete()).isFalse();
    release.complete();
    UUID session = await(first);
    assertThat(await(second).state()).isInstanceOf(CodeGrant.Exchanged.class)
        .extracting(state -> ((CodeGrant.Exchanged) state).sessionId()).isEqualTo(session);
  }
}
