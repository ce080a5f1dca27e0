package org.gatehouse.infra.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.TestHazelcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ClusterRateLimiterTest {
  static List<HazelcastInstance> members;
  /** The class's Vert.x, from the extension, which closes it after the last test. */
  static Vertx vertx;
  final MutableClock clock = MutableClock.startingNow();

  @BeforeAll
  static void start(Vertx classVertx) {
    members = TestHazelcast.cluster(2);
    vertx = classVertx;
  }

  @AfterAll
  static void stop() {
    members.forEach(HazelcastInstance::shutdown);
  }

  private ClusterRateLimiter on(int member) {
    return new ClusterRateLimiter(vertx, members.get(member), "test.ratelimits", clock);
  }

  private Duration take(ClusterRateLimiter limiter, String key, RateLimit limit) throws Exception {
    return limiter.take(key, limit).await(10, TimeUnit.SECONDS);
  }

  /** The context of a verticle of its own: each is an event loop as an HTTP listener instance would be. */
  private static io.vertx.core.Context eventLoop() throws Exception {
    io.vertx.core.Context[] grabbed = new io.vertx.core.Context[1];
    vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public io.vertx.core.Future<?> start() throws Exception {
        grabbed[0] = context;
        return super.start();
      }
    }).await(10, TimeUnit.SECONDS);
    return grabbed[0];
  }

  @Test
  void burstThenWaitThenRefill() throws Exception {
    RateLimit limit = new RateLimit(1, 3);
    ClusterRateLimiter limiter = on(0);
    for (int i = 0; i < 3; i++) {
      assertThat(take(limiter, "burst", limit)).isZero();
    }
    assertThat(take(limiter, "burst", limit)).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofMillis(1000));
    assertThat(take(limiter, "burst", limit)).isZero();
    assertThat(take(limiter, "burst", limit)).isPositive();
  }

  @Test
  void countsAreSharedByEveryMember() throws Exception {
    RateLimit limit = new RateLimit(0.5, 2);
    assertThat(take(on(0), "shared", limit)).isZero();
    assertThat(take(on(1), "shared", limit)).isZero();
    assertThat(take(on(0), "shared", limit)).isEqualTo(Duration.ofSeconds(2));
    assertThat(take(on(1), "shared", limit)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void keysAreIndependent() throws Exception {
    RateLimit limit = new RateLimit(1, 1);
    assertThat(take(on(0), "a", limit)).isZero();
    assertThat(take(on(0), "b", limit)).isZero();
    assertThat(take(on(0), "a", limit)).isPositive();
  }

  @Test
  void checkFailsWithLimitExceededAndTheWait() throws Exception {
    RateLimit limit = new RateLimit(2, 1);
    on(0).check("check", limit).await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> on(0).check("check", limit).await(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(MatrixError.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
          assertThat(e.extra().getLong("retry_after_ms")).isEqualTo(500L);
        });
  }

  @Test
  void unlimitedNeverWaits() throws Exception {
    for (int i = 0; i < 100; i++) {
      assertThat(take(on(0), "free", RateLimit.UNLIMITED)).isZero();
    }
  }

  @Test
  void largeBurstsAreTakenInLeasesYetEveryNodeTogetherAdmitsExactlyTheBurst() throws Exception {
    RateLimit limit = new RateLimit(0.001, 160);
    assertThat(limit.leaseSize()).isEqualTo(10);
    List<ClusterRateLimiter> nodes = List.of(on(0), on(1));
    int admitted = 0;
    int refusedInARow = 0;
    for (int i = 0; refusedInARow < 2; i++) {
      if (take(nodes.get(i % 2), "leased", limit).isZero()) {
        admitted++;
        refusedInARow = 0;
      } else {
        refusedInARow++;
      }
    }
    assertThat(admitted).isEqualTo(160);
  }

  @Test
  void concurrentRequestsOnSeveralEventLoopsShareLeasesWithoutOverAdmitting() throws Exception {
    RateLimit limit = new RateLimit(0.001, 1000);
    ClusterRateLimiter limiter = on(0);
    List<io.vertx.core.Context> loops = List.of(eventLoop(), eventLoop(), eventLoop());
    List<io.vertx.core.Future<Duration>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      io.vertx.core.Promise<Duration> answer = io.vertx.core.Promise.promise();
      loops.get(i % loops.size()).runOnContext(v -> limiter.take("concurrent", limit).onComplete(answer));
      answers.add(answer.future());
    }
    io.vertx.core.Future.all(answers).await(30, TimeUnit.SECONDS);
    long admitted = answers.stream().filter(a -> a.result().isZero()).count();
    assertThat(admitted).isEqualTo(1000);
  }

  @Test
  void aRefusalIsRememberedOnTheNodeUntilTheBucketSaidItWouldRefill() throws Exception {
    RateLimit limit = new RateLimit(1, 1);
    ClusterRateLimiter limiter = on(0);
    assertThat(take(limiter, "flood", limit)).isZero();
    assertThat(take(limiter, "flood", limit)).isEqualTo(Duration.ofSeconds(1));
    // A flood that has been refused is answered from memory, not from the cluster: even with the shared bucket
    // gone, the node refuses for the rest of the wait it was given...
    members.get(0).getMap("test.ratelimits").delete("flood");
    clock.advance(Duration.ofMillis(400));
    assertThat(take(limiter, "flood", limit)).isEqualTo(Duration.ofMillis(600));
    // ...and asks again once the bucket can have refilled.
    clock.advance(Duration.ofMillis(600));
    assertThat(take(limiter, "flood", limit)).isZero();
  }

  @Test
  void aBusyKeyTakesItsNextLeaseBeforeTheCurrentOneRunsOut() throws Exception {
    RateLimit limit = new RateLimit(0.001, 160);
    ClusterRateLimiter busy = on(0);
    for (int i = 0; i < 6; i++) {
      assertThat(take(busy, "ahead", limit)).isZero();
    }
    // Four of the first ten left: the next ten were asked for without anyone waiting for them.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        ((TokenBucket) members.get(1).getMap("test.ratelimits").get("ahead")).tokens() <= 140);
    ClusterRateLimiter other = on(1);
    int admitted = 0;
    while (take(other, "ahead", limit).isZero()) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(140);
    // And the busy node still spends all it was granted: 14 more, then no more.
    int spent = 0;
    while (take(busy, "ahead", limit).isZero()) {
      spent++;
    }
    assertThat(spent).isEqualTo(14);
  }

  @Test
  void leasedTokensNotSpentInTimeAreDroppedNotHoarded() throws Exception {
    RateLimit limit = new RateLimit(0.001, 160);
    ClusterRateLimiter first = on(0);
    assertThat(take(first, "stale", limit)).isZero();
    clock.advance(ClusterRateLimiter.LEASE_LIFETIME.plusMillis(1));
    // The first node's nine spare tokens are no longer usable: a fresh lease is needed and takes from what is left.
    ClusterRateLimiter second = on(1);
    int admitted = 0;
    while (take(second, "stale", limit).isZero()) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(150);
    assertThat(take(first, "stale", limit)).isPositive();
  }

  @Test
  void theNodeForgetsIdleKeysSoAnAddressFloodCannotGrowItsMemory() throws Exception {
    RateLimit limit = new RateLimit(1, 1);
    ClusterRateLimiter limiter = on(0);
    List<io.vertx.core.Future<Duration>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < ClusterRateLimiter.SWEEP_ABOVE + 500; i++) {
      answers.add(limiter.take("address-" + i, limit));
      if (answers.size() == 500) {
        io.vertx.core.Future.all(answers).await(30, TimeUnit.SECONDS);
        answers.clear();
      }
    }
    io.vertx.core.Future.all(answers).await(30, TimeUnit.SECONDS);
    assertThat(limiter.localKeys()).isLessThanOrEqualTo(ClusterRateLimiter.SWEEP_ABOVE + 1);
  }

  @Test
  void fiftyAttemptsSentAtOnceOnSeveralEventLoopsPayBeforeTheyAreCheckedSoOnlyTheBurstGetsThrough() throws Exception {
    RateLimit perAccount = new RateLimit(0.001, 5);
    RateLimit perAddress = new RateLimit(0.001, 30);
    List<Budget> budgets = List.of(new Budget("parallel:address", perAddress),
        new Budget("parallel:account", perAccount));
    ClusterRateLimiter limiter = on(0);
    List<io.vertx.core.Context> loops = List.of(eventLoop(), eventLoop(), eventLoop());
    List<io.vertx.core.Future<Duration>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      io.vertx.core.Promise<Duration> answer = io.vertx.core.Promise.promise();
      loops.get(i % loops.size()).runOnContext(v -> limiter.takeEach(budgets).onComplete(answer));
      answers.add(answer.future());
    }
    io.vertx.core.Future.all(answers).await(30, TimeUnit.SECONDS);
    assertThat(answers.stream().filter(a -> a.result().isZero()).count()).isEqualTo(5);
    // The 45 refused by the account's bucket gave the address's tokens back: 25 of its 30 are left.
    clock.advance(ClusterRateLimiter.LEASE_LIFETIME.plusMillis(1));
    int left = 0;
    while (take(on(1), "parallel:address", perAddress).isZero()) {
      left++;
    }
    assertThat(left).isEqualTo(25);
  }

  @Test
  void aRefundGivesOneTokenBackNeverBeyondTheBurstAndLiftsTheRefusalTheNodeRemembered() throws Exception {
    RateLimit limit = new RateLimit(0.001, 2);
    ClusterRateLimiter limiter = on(0);
    // A full bucket stays full.
    limiter.refund("refund", limit).await(10, TimeUnit.SECONDS);
    assertThat(take(limiter, "refund", limit)).isZero();
    assertThat(take(limiter, "refund", limit)).isZero();
    assertThat(take(limiter, "refund", limit)).isPositive();
    // One back (from another member): exactly one more, at once, although this node had remembered a refusal.
    on(1).refund("refund", limit).await(10, TimeUnit.SECONDS);
    limiter.refund("refund", limit).await(10, TimeUnit.SECONDS);
    assertThat(take(limiter, "refund", limit)).isZero();
    assertThat(take(limiter, "refund", limit)).isZero();
    assertThat(take(limiter, "refund", limit)).isPositive();
    for (int i = 0; i < 5; i++) {
      limiter.refund("refund", limit).await(10, TimeUnit.SECONDS);
    }
    assertThat(take(limiter, "refund", limit)).isZero();
    assertThat(take(limiter, "refund", limit)).isZero();
    assertThat(take(limiter, "refund", limit)).isPositive();
  }
}
