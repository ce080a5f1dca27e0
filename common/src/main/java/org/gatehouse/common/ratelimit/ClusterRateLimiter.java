package org.gatehouse.common.ratelimit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.gatehouse.common.hazelcast.HazelcastFutures;
import org.gatehouse.common.http.MatrixError;

/**
 * Rate limits counted across the whole cluster: one token bucket per key in a Hazelcast map owned by the module
 * that uses it, updated atomically on the key's owner. Non-blocking: the answer comes back as a future.
 */
public final class ClusterRateLimiter {
  private final Vertx vertx;
  private final IMap<String, TokenBucket> buckets;
  private final Clock clock;

  /** @param mapName the module's own map for its buckets, e.g. {@code gatehouse.rendezvous.ratelimits} */
  public ClusterRateLimiter(Vertx vertx, HazelcastInstance hazelcast, String mapName, Clock clock) {
    this.vertx = vertx;
    this.buckets = hazelcast.getMap(mapName);
    this.clock = clock;
  }

  /** Takes one token for {@code key}; completes with zero, or with how long to wait before retrying. */
  public Future<Duration> take(String key, RateLimit limit) {
    if (limit.unlimited()) {
      return Future.succeededFuture(Duration.ZERO);
    }
    return HazelcastFutures.onContext(buckets.submitToKey(key, new TakeToken(limit, clock.millis())),
        vertx.getOrCreateContext()).map(Duration::ofMillis);
  }

  /**
   * How long until {@code key} would have a token, without taking one. With {@link #take} on failure only, this
   * counts failed attempts (e.g. wrong passwords) without penalising successful ones.
   */
  public Future<Duration> peek(String key, RateLimit limit) {
    if (limit.unlimited()) {
      return Future.succeededFuture(Duration.ZERO);
    }
    return HazelcastFutures.onContext(buckets.submitToKey(key, new PeekToken(limit, clock.millis())),
        vertx.getOrCreateContext()).map(Duration::ofMillis);
  }

  /** Takes one token, or fails with {@code 429 M_LIMIT_EXCEEDED} carrying the wait. */
  public Future<Void> check(String key, RateLimit limit) {
    return take(key, limit).compose(wait -> wait.isZero() ? Future.succeededFuture()
        : Future.failedFuture(MatrixError.limitExceeded(wait)));
  }
}
