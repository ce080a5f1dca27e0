package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.CrossSigningResetStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cross-signing reset approvals on PostgreSQL: which window is open, and that each is used once, by one caller. */
@ExtendWith(VertxExtension.class)
class PgCrossSigningResetStoreTest {
  static final Instant NOW = TestStores.START;

  TestStores db;
  CrossSigningResetStore resets;
  User alice;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    resets = db.stores.crossSigningResets();
    alice = db.user("alice");
  }

  @Test
  void theOpenWindowIsTheLatestUnexpiredUnusedOneOfTheUser() {
    assertThat(resets.openUntil(alice.id(), NOW).await()).isEmpty();
    resets.add(alice.id(), NOW.minusSeconds(60), NOW.plusSeconds(300)).await();
    resets.add(alice.id(), NOW.minusSeconds(30), NOW.plusSeconds(600)).await();
    resets.add(alice.id(), NOW.minusSeconds(900), NOW).await();
    resets.add(db.user("bob").id(), NOW, NOW.plusSeconds(900)).await();
    assertThat(resets.openUntil(alice.id(), NOW).await()).contains(NOW.plusSeconds(600));
    // A window ends at its expiry: open until then, not at it.
    assertThat(resets.openUntil(alice.id(), NOW.plusSeconds(599)).await()).contains(NOW.plusSeconds(600));
    assertThat(resets.openUntil(alice.id(), NOW.plusSeconds(600)).await()).isEmpty();
  }

  @Test
  void eachWindowIsUsedOnceLatestFirst() {
    resets.add(alice.id(), NOW, NOW.plusSeconds(300)).await();
    resets.add(alice.id(), NOW, NOW.plusSeconds(600)).await();
    assertThat(resets.consume(alice.id(), NOW).await()).isTrue();
    assertThat(resets.openUntil(alice.id(), NOW).await()).contains(NOW.plusSeconds(300));
    assertThat(resets.consume(alice.id(), NOW).await()).isTrue();
    assertThat(resets.openUntil(alice.id(), NOW).await()).isEmpty();
    assertThat(resets.consume(alice.id(), NOW).await()).isFalse();
  }

  @Test
  void anExpiredWindowCannotBeUsed() {
    resets.add(alice.id(), NOW, NOW.plusSeconds(300)).await();
    assertThat(resets.consume(alice.id(), NOW.plusSeconds(300)).await()).isFalse();
    assertThat(resets.consume(db.user("bob").id(), NOW).await()).isFalse();
    assertThat(resets.consume(alice.id(), NOW.plusSeconds(299)).await()).isTrue();
  }

  @Test
  void aWindowBeingUsedIsSkippedByASecondCallerWithoutWaitingAndFreedIfTheFirstRollsBack() throws Exception {
    resets.add(alice.id(), NOW, NOW.plusSeconds(300)).await();
    Promise<Boolean> used = Promise.promise();
    Promise<Void> release = Promise.promise();
    Future<Void> first = db.stores.inTransaction(tx -> tx.crossSigningResets().consume(alice.id(), NOW)
        .compose(consumed -> {
          used.complete(consumed);
          return release.future();
        })
        .compose(go -> Future.failedFuture(new IllegalStateException("changed my mind"))));
    assertThat(used.future().await(30, TimeUnit.SECONDS)).isTrue();
    // Not held back by the first caller's row lock: the answer is no at once.
    assertThat(resets.consume(alice.id(), NOW).await(5, TimeUnit.SECONDS)).isFalse();
    release.complete();
    assertThatThrownBy(() -> first.await(30, TimeUnit.SECONDS)).hasMessageContaining("changed my mind");
    assertThat(resets.consume(alice.id(), NOW).await()).isTrue();
  }
}
