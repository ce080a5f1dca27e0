package org.gatehouse.infra.ratelimit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gatehouse.infra.hazelcast.HazelcastFutures;
import org.gatehouse.common.http.MatrixError;

/**
 * Rate limits counted across the whole cluster: one token bucket per key in a Hazelcast map owned by the module
 * that uses it, updated atomically on the key's owner. Non-blocking: the answer comes back as a future.
 *
 * <p>So that a busy key does not cost a cluster operation per request (and a flood does not reach Hazelcast at
 * all), each node keeps a {@link LocalLease} per key: it takes a few tokens at a time from the shared bucket and
 * spends them locally, and remembers a refusal until the moment the bucket said it would refill. Nothing is ever
 * admitted that the shared bucket did not grant; the price is that tokens one node holds are not available to
 * another for at most {@link #LEASE_LIFETIME}. A key in use asks for its next lease when half the current one is
 * spent, so its requests do not wait for the cluster at all. The lease size is {@link RateLimit#leaseSize()}: one token (exact
 * counting) for the small limits that guard passwords and codes, more only for large bursts.
 *
 * <p>Kept instead of bucket4j-hazelcast, for now: bucket4j's asynchronous Hazelcast path completes on Hazelcast's
 * default async executor, the common fork-join pool, which on a machine with two cores or fewer starts a thread
 * per callback (bucket4j discussion #201; {@link HazelcastFutures} is how this class avoids it). Whether bucket4j
 * behind a caller-runs bridge, with its own optimisations, can replace the leases is to be measured against
 * {@code bench/} before this class grows.
 */
public final class ClusterRateLimiter {
  /** Tokens leased but unspent after this long are dropped rather than kept out of the other nodes' reach. */
  static final Duration LEASE_LIFETIME = Duration.ofSeconds(1);
  /** Above this many keys, idle leases are swept out when a new key arrives, bounding the table. */
  static final int SWEEP_ABOVE = 10_000;

  private final Vertx vertx;
  private final IMap<String, TokenBucket> buckets;
  private final Clock clock;
  private final Map<String, LocalLease> leases = new ConcurrentHashMap<>();

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
    long now = clock.millis();
    LocalLease lease = leaseFor(key, now);
    Future<Void> refill;
    synchronized (lease) {
      if (lease.retired) {
        return take(key, limit);
      }
      if (lease.tokens > 0 && lease.usableUntil > now) {
        lease.tokens--;
        // A busy key asks for its next lease while half of this one is left, so requests do not queue behind it.
        // (Not for the exact, one-token limits: that would hold a token no other node can use.)
        int leaseSize = limit.leaseSize();
        if (leaseSize > 1 && lease.tokens < (leaseSize + 1) / 2 && lease.refilling == null
            && lease.refusedUntil <= now) {
          Future<Void> ahead = refill(key, limit, lease, now);
          lease.refilling = ahead.isComplete() ? null : ahead;
        }
        return Future.succeededFuture(Duration.ZERO);
      }
      if (lease.refusedUntil > now) {
        return Future.succeededFuture(Duration.ofMillis(lease.refusedUntil - now));
      }
      refill = lease.refilling;
      if (refill == null) {
        refill = refill(key, limit, lease, now);
        // (Always pending here: Hazelcast answers through the event loop. Never keep a finished one.)
        lease.refilling = refill.isComplete() ? null : refill;
      }
    }
    // Everyone waiting (this request included) competes for the refilled tokens; whoever finds none left starts
    // the next refill or meets the refusal, so this ends. Each continues on its own context: the refill completes
    // on the context of whoever started it, which may be another event loop.
    Context mine = vertx.getOrCreateContext();
    Promise<Duration> answer = Promise.promise();
    refill.onComplete(done -> mine.runOnContext(v -> (done.succeeded() ? take(key, limit)
        : Future.<Duration>failedFuture(done.cause())).onComplete(answer)));
    return answer.future();
  }

  /**
   * Takes one token from each budget, in order, and stops at the first that has none: the tokens already taken are
   * given back and the answer is that budget's wait. Zero when every budget paid.
   *
   * <p>This is how attempts that must be bounded (passwords, codes) are counted: each attempt pays <em>before</em>
   * it is checked, so attempts sent at the same moment cannot all see the same remaining token. There is no way
   * to ask whether a token is there without taking it; such a look is stale by the time the attempt is checked.
   */
  public Future<Duration> takeEach(List<Budget> budgets) {
    return takeFrom(budgets, 0);
  }

  private Future<Duration> takeFrom(List<Budget> budgets, int next) {
    if (next == budgets.size()) {
      return Future.succeededFuture(Duration.ZERO);
    }
    Budget budget = budgets.get(next);
    return take(budget.key(), budget.limit()).compose(wait -> wait.isZero() ? takeFrom(budgets, next + 1)
        // The attempt is not made, so it costs none of the others. A refund that fails only leaves them stricter.
        : refund(budgets.subList(0, next)).otherwiseEmpty().map(wait));
  }

  /** Gives one token back to each budget: see {@link #refund(String, RateLimit)}. */
  public Future<Void> refund(List<Budget> budgets) {
    List<Future<Void>> refunds = new ArrayList<>(budgets.size());
    for (Budget budget : budgets) {
      refunds.add(refund(budget.key(), budget.limit()));
    }
    return Future.all(refunds).mapEmpty();
  }

  /**
   * Gives one token back to {@code key}'s shared bucket (never beyond the burst): for an attempt that paid before
   * it was checked and turned out to be one the limit does not count, such as a right password. Once the bucket
   * has it, this node forgets a refusal it remembered for the key, so the token can be used at once.
   */
  public Future<Void> refund(String key, RateLimit limit) {
    if (limit.unlimited()) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    return HazelcastFutures.onContext(buckets.submitToKey(key, new ReturnToken(limit, now)),
        vertx.getOrCreateContext()).<Void>mapEmpty().onSuccess(v -> {
          LocalLease lease = leases.get(key);
          if (lease != null) {
            synchronized (lease) {
              lease.refusedUntil = Math.min(lease.refusedUntil, now);
            }
          }
        });
  }

  /** Takes one token, or fails with {@code 429 M_LIMIT_EXCEEDED} carrying the wait. */
  public Future<Void> check(String key, RateLimit limit) {
    return take(key, limit).compose(wait -> wait.isZero() ? Future.succeededFuture()
        : Future.failedFuture(MatrixError.limitExceeded(wait)));
  }

  /** Keys this node holds a lease or a refusal for (for tests and metrics). */
  int localKeys() {
    return leases.size();
  }

  private LocalLease leaseFor(String key, long now) {
    LocalLease existing = leases.get(key);
    if (existing != null) {
      return existing;
    }
    if (leases.size() >= SWEEP_ABOVE) {
      sweep(now);
    }
    return leases.computeIfAbsent(key, k -> new LocalLease());
  }

  /**
   * Asks the key's owner for a lease; on the way back, stores what it granted or the refusal. Called under the
   * lease's monitor; the answer is applied under it too, and only after the caller has recorded the refill.
   */
  private Future<Void> refill(String key, RateLimit limit, LocalLease lease, long now) {
    Promise<Void> refilled = Promise.promise();
    HazelcastFutures.onContext(buckets.submitToKey(key, new TakeTokens(limit, limit.leaseSize(), now)),
        vertx.getOrCreateContext()).onComplete(answer -> {
          synchronized (lease) {
            lease.refilling = null;
            if (answer.succeeded()) {
              TakeTokens.Grant grant = answer.result();
              if (grant.tokens() > 0) {
                // Added to what is left: a refill asked for ahead of need arrives while tokens remain.
                lease.tokens = (lease.usableUntil > now ? lease.tokens : 0) + grant.tokens();
                lease.usableUntil = now + LEASE_LIFETIME.toMillis();
              } else {
                lease.refusedUntil = now + grant.waitMillis();
              }
            }
          }
          refilled.handle(answer.mapEmpty());
        });
    return refilled.future();
  }

  private void sweep(long now) {
    leases.forEach((key, lease) -> {
      synchronized (lease) {
        if (lease.idleAt(now)) {
          lease.retired = true;
          leases.remove(key, lease);
        }
      }
    });
  }
}
