package org.gatehouse.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.TestHazelcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterRateLimiterTest {
  static List<HazelcastInstance> members;
  static Vertx vertx;
  final MutableClock clock = MutableClock.startingNow();

  @BeforeAll
  static void start() {
    members = TestHazelcast.cluster(2);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    members.forEach(HazelcastInstance::shutdown);
    vertx.close().await();
  }

  private ClusterRateLimiter on(int member) {
    return new ClusterRateLimiter(vertx, members.get(member), "test.ratelimits", clock);
  }

  private Duration take(ClusterRateLimiter limiter, String key, RateLimit limit) throws Exception {
    return limiter.take(key, limit).await(10, TimeUnit.SECONDS);
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
}
