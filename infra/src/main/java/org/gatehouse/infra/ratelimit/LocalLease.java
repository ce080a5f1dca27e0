package org.gatehouse.infra.ratelimit;

import io.vertx.core.Future;

/**
 * What one node holds of one cluster-wide bucket: tokens taken from it ahead of need, usable until they go stale,
 * and a refusal the bucket gave, which holds until the time it named (the bucket cannot refill sooner). Guarded by
 * its own monitor; every field is read and written under it.
 */
final class LocalLease {
  /** Tokens held here; only usable before {@link #usableUntil}. */
  int tokens;
  long usableUntil;
  /** When the bucket last said "none left", the moment it will have one again. */
  long refusedUntil;
  /** The refill in flight, which later requests for the same key wait for instead of asking again. */
  Future<Void> refilling;
  /** Taken out of the node's table: whoever still holds it must look the key up again. */
  boolean retired;

  /** True when it holds nothing worth keeping at {@code now}. */
  boolean idleAt(long now) {
    return refilling == null && refusedUntil <= now && (tokens == 0 || usableUntil <= now);
  }
}
