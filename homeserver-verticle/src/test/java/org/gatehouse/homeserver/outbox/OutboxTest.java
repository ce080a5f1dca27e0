package org.gatehouse.homeserver.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.TestPostgres;
import org.gatehouse.homeserver.HomeserverModule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbox's rules against the embedded PostgreSQL: order per account, one worker at a time, one reconciliation. */
@ExtendWith(VertxExtension.class)
class OutboxTest {
  Pool pool;
  MutableClock clock;
  Outbox outbox;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    pool = TestPostgres.newMigratedPool(vertx, HomeserverModule.NAME);
    clock = MutableClock.startingNow();
    outbox = new Outbox(pool, clock);
  }

  @Test
  void aLaterCallOfAnAccountNeverOvertakesAnEarlierOneWaitingForItsRetry() throws Exception {
    outbox.add("delete_device", "alice", new JsonObject().put("device_id", "A1")).await();
    outbox.add("delete_user", "alice", new JsonObject()).await();
    outbox.add("delete_device", "bob", new JsonObject().put("device_id", "B1")).await();
    List<OutboxEntry> first = outbox.due(10).await();
    // One per account: alice's second call waits behind her first.
    assertThat(first).extracting(OutboxEntry::operation, OutboxEntry::localpart)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("delete_device", "alice"),
            org.assertj.core.groups.Tuple.tuple("delete_device", "bob"));
    outbox.retryLater(first.get(0).id(), Duration.ofSeconds(30), "unreachable").await();
    outbox.done(first.get(1).id()).await();
    assertThat(outbox.due(10).await()).isEmpty();
    clock.advance(Duration.ofSeconds(31));
    List<OutboxEntry> retried = outbox.due(10).await();
    assertThat(retried).extracting(OutboxEntry::operation).containsExactly("delete_device");
    assertThat(retried.get(0).attempts()).isEqualTo(1);
    outbox.done(retried.get(0).id()).await();
    assertThat(outbox.due(10).await()).extracting(OutboxEntry::operation).containsExactly("delete_user");
  }

  @Test
  void aCallRefusedForGoodIsKeptAsFailedAndNoLongerBlocksItsAccount() throws Exception {
    outbox.add("provision_user", "carol", new JsonObject()).await();
    outbox.add("delete_device", "carol", new JsonObject()).await();
    OutboxEntry refused = outbox.due(10).await().get(0);
    outbox.failed(refused.id(), "400 M_EXCLUSIVE").await();
    assertThat(outbox.due(10).await()).extracting(OutboxEntry::operation).containsExactly("delete_device");
    Outbox.Depth depth = outbox.depth().await();
    assertThat(depth.pending()).isEqualTo(1);
    assertThat(depth.failed()).isEqualTo(1);
  }

  @Test
  void oneNodeAtATimeHoldsTheLeaseUntilItLapsesOrIsGivenUp() throws Exception {
    assertThat(outbox.holdLease("node-a", Duration.ofSeconds(30)).await()).isTrue();
    assertThat(outbox.holdLease("node-b", Duration.ofSeconds(30)).await()).isFalse();
    assertThat(outbox.holdLease("node-a", Duration.ofSeconds(30)).await()).isTrue();
    clock.advance(Duration.ofSeconds(31));
    // node-a stopped renewing (crashed): node-b takes over.
    assertThat(outbox.holdLease("node-b", Duration.ofSeconds(30)).await()).isTrue();
    assertThat(outbox.holdLease("node-a", Duration.ofSeconds(30)).await()).isFalse();
    outbox.releaseLease("node-b").await();
    assertThat(outbox.holdLease("node-a", Duration.ofSeconds(30)).await()).isTrue();
  }

  @Test
  void aReconciliationIsQueuedOnceWhileOneIsPending() throws Exception {
    assertThat(outbox.addReconcile(new JsonObject().put("by", "start")).await()).isTrue();
    assertThat(outbox.addReconcile(new JsonObject().put("by", "start")).await()).isFalse();
    OutboxEntry pending = outbox.due(10).await().get(0);
    outbox.saveProgress(pending.id(), pending.body().copy().put("from", "@m:test")).await();
    assertThat(outbox.due(10).await().get(0).body().getString("from")).isEqualTo("@m:test");
    outbox.done(pending.id()).await();
    assertThat(outbox.addReconcile(new JsonObject().put("by", "admin")).await()).isTrue();
  }
}
