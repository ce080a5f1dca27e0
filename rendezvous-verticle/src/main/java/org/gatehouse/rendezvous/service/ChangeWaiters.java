package org.gatehouse.rendezvous.service;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.gatehouse.rendezvous.SessionChanged;

/**
 * The long-polls waiting on this node, by session id. Fed by the cluster-wide
 * {@link org.gatehouse.rendezvous.RendezvousAddresses#SESSION_CHANGED} publish; bounded, so that parked requests
 * cannot grow without limit (past the bound a long-poll is answered at once, as a plain read).
 */
public final class ChangeWaiters {
  /** One parked request; {@link #changed} is called on the bus thread and must hand over to its own context. */
  public interface Waiter {
    void changed(SessionChanged change);
  }

  private final Map<String, Set<Waiter>> byId = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int max;

  public ChangeWaiters(int max) {
    this.max = max;
  }

  /** Parks {@code waiter} on session {@code id}; false when the node already parks as many as it allows. */
  public boolean add(String id, Waiter waiter) {
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      return false;
    }
    byId.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(waiter);
    return true;
  }

  public void remove(String id, Waiter waiter) {
    byId.computeIfPresent(id, (k, set) -> {
      if (set.remove(waiter)) {
        count.decrementAndGet();
      }
      return set.isEmpty() ? null : set;
    });
  }

  /** Tells every waiter on the changed session. */
  public void changed(SessionChanged change) {
    Set<Waiter> waiting = byId.get(change.id());
    if (waiting != null) {
      waiting.forEach(waiter -> waiter.changed(change));
    }
  }

  /** Requests parked now. */
  public int size() {
    return count.get();
  }
}
