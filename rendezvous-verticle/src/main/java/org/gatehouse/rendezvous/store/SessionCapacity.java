package org.gatehouse.rendezvous.store;

import org.gatehouse.infra.hazelcast.HazelcastFutures;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The cluster-wide limit on live sessions: one {@link org.gatehouse.rendezvous.domain.LiveSessionWindow} in the
 * Hazelcast map {@link RendezvousMaps#CAPACITY}, changed only by entry processors on its owner.
 */
public final class SessionCapacity {
  private final Vertx vertx;
  private final IMap<String, CapacityRecord> map;
  private final int max;

  public SessionCapacity(Vertx vertx, IMap<String, CapacityRecord> map, int max) {
    this.vertx = vertx;
    this.map = map;
    this.max = max;
  }

  public int max() {
    return max;
  }

  /** Takes a slot for a session expiring at {@code expiresAtMs}: 0, or how long until one frees up (ms). */
  public Future<Long> reserve(long expiresAtMs, long nowMs) {
    return submit(CapacityChange.reserve(expiresAtMs, nowMs, max));
  }

  /** Gives back the slot of a session deleted before it expired. */
  public Future<Void> release(long expiresAtMs, long nowMs) {
    return submit(CapacityChange.release(expiresAtMs, nowMs)).mapEmpty();
  }

  /** Slots held now across the cluster. */
  public Future<Long> live(long nowMs) {
    return submit(CapacityChange.count(nowMs));
  }

  private Future<Long> submit(CapacityChange change) {
    return HazelcastFutures.onContext(map.submitToKey(RendezvousMaps.CAPACITY_KEY, change), vertx.getOrCreateContext());
  }
}
