package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The unit of work on PostgreSQL: it commits, rolls back, and holds the locks its stores take until it ends. */
@ExtendWith(VertxExtension.class)
class PgStoresTest {
  private TestStores db;
  private Stores stores;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    stores = db.stores;
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
    User user = db.user("uow-lock");
    db.client();
    byte[] hash = new byte[32];
    hash[0] = 42;
    Instant now = TestStores.START;
    await(stores.codes().insert(CodeGrant.issued(hash, TestStores.CLIENT, user.id(), "https://x.test/cb",
        false, "openid", "c".repeat(43), null, now, now, now.plus(Duration.ofMinutes(10)))));

    // A second exchange waits for the first transaction, then reads what it committed.
    CodeGrant second = await(db.contended(tx -> tx.codes().lock(hash),
        (tx, code) -> tx.sessions().create(user.id(), null, TestStores.CLIENT, "openid")
            .compose(session -> tx.codes().markExchanged(code.orElseThrow().exchange(session, now))),
        tx -> tx.codes().lock(hash).map(code -> code.orElseThrow())));
    assertThat(second.state()).isInstanceOf(CodeGrant.Exchanged.class);
    UUID session = ((CodeGrant.Exchanged) second.state()).sessionId();
    assertThat(await(stores.sessions().openOfUser(user.id()))).containsExactly(session);
  }
}
