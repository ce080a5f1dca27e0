package org.gatehouse.auth.devicegrant;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls waiting on this node for a grant to change. A decision on any node is published cluster-wide
 * ({@link #CHANGED}); every node wakes its waiters for that grant at once. At most {@code maxWaiters} polls wait
 * on one node; past that, {@link #waitFor} refuses and the poll is answered at once.
 */
public final class GrantWakeUps {
  /** Published: a device grant was approved or denied. {@code {"grant_id"}}. */
  public static final String CHANGED = "gatehouse.auth.device_grant.changed";

  private final Vertx vertx;
  private final int maxWaiters;
  private final AtomicInteger parked = new AtomicInteger();
  private final Map<UUID, List<Promise<Void>>> waiting = new ConcurrentHashMap<>();

  public GrantWakeUps(Vertx vertx, int maxWaiters) {
    this.vertx = vertx;
    this.maxWaiters = maxWaiters;
  }

  /** Polls waiting on this node now. */
  public int parked() {
    return parked.get();
  }

  public Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(CHANGED, message -> wake(UUID.fromString(message.body()
        .getString("grant_id")))).completion();
  }

  public void announce(UUID grantId) {
    vertx.eventBus().publish(CHANGED, new JsonObject().put("grant_id", grantId.toString()));
  }

  /**
   * A future that completes when the grant changes or after {@code atMost}, whichever comes first, or empty when
   * this node already holds {@code maxWaiters} polls. Register the wait before reading the grant's state, so a
   * change between the read and the wait is not missed.
   */
  public Optional<Future<Void>> waitFor(UUID grantId, Duration atMost) {
    if (parked.incrementAndGet() > maxWaiters) {
      parked.decrementAndGet();
      return Optional.empty();
    }
    Promise<Void> promise = Promise.promise();
    List<Promise<Void>> list = waiting.compute(grantId, (id, existing) -> {
      List<Promise<Void>> l = existing == null ? new CopyOnWriteArrayList<>() : existing;
      l.add(promise);
      return l;
    });
    long timer = vertx.setTimer(Math.max(1, atMost.toMillis()), t -> promise.tryComplete());
    return Optional.of(promise.future().onComplete(done -> {
      vertx.cancelTimer(timer);
      parked.decrementAndGet();
      waiting.computeIfPresent(grantId, (id, l) -> {
        l.remove(promise);
        return l.isEmpty() ? null : l;
      });
    }));
  }

  private void wake(UUID grantId) {
    List<Promise<Void>> list = waiting.get(grantId);
    if (list != null) {
      list.forEach(Promise::tryComplete);
    }
  }
}
