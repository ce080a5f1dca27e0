package org.gatehouse.auth.devicegrant;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Polls waiting on this node for a grant to change. A decision on any node is published cluster-wide
 * ({@link #CHANGED}); every node wakes its waiters for that grant at once.
 */
public final class GrantWakeUps {
  /** Published: a device grant was approved or denied. {@code {"grant_id"}}. */
  public static final String CHANGED = "gatehouse.auth.device_grant.changed";

  private final Vertx vertx;
  private final Map<UUID, List<Promise<Void>>> waiting = new ConcurrentHashMap<>();

  public GrantWakeUps(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(CHANGED, message -> wake(UUID.fromString(message.body()
        .getString("grant_id")))).completion();
  }

  public void announce(UUID grantId) {
    vertx.eventBus().publish(CHANGED, new JsonObject().put("grant_id", grantId.toString()));
  }

  /**
   * A future that completes when the grant changes or after {@code atMost}, whichever comes first. Register the
   * wait before reading the grant's state, so a change between the read and the wait is not missed.
   */
  public Future<Void> waitFor(UUID grantId, Duration atMost) {
    Promise<Void> promise = Promise.promise();
    List<Promise<Void>> list = waiting.computeIfAbsent(grantId, id -> new CopyOnWriteArrayList<>());
    list.add(promise);
    long timer = vertx.setTimer(Math.max(1, atMost.toMillis()), t -> promise.tryComplete());
    return promise.future().onComplete(done -> {
      vertx.cancelTimer(timer);
      list.remove(promise);
      if (list.isEmpty()) {
        waiting.remove(grantId, list);
      }
    });
  }

  private void wake(UUID grantId) {
    List<Promise<Void>> list = waiting.get(grantId);
    if (list != null) {
      list.forEach(Promise::tryComplete);
    }
  }
}
