package org.gatehouse.rendezvous.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * The count of live sessions across the cluster, kept by the second in which each session expires.
 *
 * <p>A session holds one slot from creation until it is deleted or its expiry second has passed, so expiry needs
 * no event: slots leave the window by themselves. Rounding the expiry up to the next whole second means a slot
 * may outlive its session by less than a second, never the other way round, so the count never undercounts and
 * the limit is never exceeded. When the window is full the answer is how long until the earliest slot frees up,
 * which becomes the {@code Retry-After} of the refusal. Live sessions are never evicted to make room.
 */
public final class LiveSessionWindow {
  private final TreeMap<Long, Integer> byExpirySecond;
  private int total;

  public LiveSessionWindow() {
    this(new TreeMap<>());
  }

  /** Rebuilds a window from its stored buckets (expiry second → slots). */
  public LiveSessionWindow(Map<Long, Integer> buckets) {
    this.byExpirySecond = new TreeMap<>(buckets);
    this.total = byExpirySecond.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Takes a slot for a session expiring at {@code expiresAtMs}, unless {@code max} are live already.
   *
   * @return 0 when the slot was taken, otherwise the milliseconds until one frees up by expiry (at least 1)
   */
  public long tryReserve(long expiresAtMs, long nowMs, int max) {
    prune(nowMs);
    if (total >= max) {
      return Math.max(1, byExpirySecond.firstKey() * 1000 - nowMs);
    }
    byExpirySecond.merge(second(expiresAtMs), 1, Integer::sum);
    total++;
    return 0;
  }

  /** Gives back the slot of a session expiring at {@code expiresAtMs} that was deleted before it expired. */
  public void release(long expiresAtMs, long nowMs) {
    prune(nowMs);
    long second = second(expiresAtMs);
    Integer slots = byExpirySecond.get(second);
    if (slots == null) {
      return;
    }
    if (slots <= 1) {
      byExpirySecond.remove(second);
    } else {
      byExpirySecond.put(second, slots - 1);
    }
    total--;
  }

  /** Slots held at {@code nowMs}. */
  public int live(long nowMs) {
    prune(nowMs);
    return total;
  }

  /** The buckets, for storage. */
  public Map<Long, Integer> buckets() {
    return byExpirySecond;
  }

  private static long second(long epochMs) {
    return Math.floorDiv(epochMs + 999, 1000);
  }

  /** Drops the buckets whose second has fully passed: their sessions have expired. */
  private void prune(long nowMs) {
    while (!byExpirySecond.isEmpty() && byExpirySecond.firstKey() * 1000 <= nowMs) {
      total -= byExpirySecond.pollFirstEntry().getValue();
    }
  }
}
