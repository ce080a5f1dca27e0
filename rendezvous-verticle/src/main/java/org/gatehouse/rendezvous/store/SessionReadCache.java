package org.gatehouse.rendezvous.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.gatehouse.rendezvous.domain.RendezvousSession;

/**
 * Sessions as this node last read them from the cluster, for the clients that poll far more often than anyone
 * writes. Every write and delete, on any node, is applied here ({@link #invalidate}) before the write is answered
 * (see {@code RendezvousService}), so a read served from here is never older than the last acknowledged write.
 *
 * <p>A read that started before an invalidation must not put back what it read once the invalidation is done:
 * each id hashes to a generation counter that invalidations bump, and a read only keeps its result if the
 * counter it saw before reading is still current after storing. An entry also ages out after
 * {@link #MAX_AGE_NANOS}, which bounds how stale it can be if an invalidation never arrives (a node that did not
 * acknowledge in time).
 */
public final class SessionReadCache {
  static final long MAX_AGE_NANOS = 1_000_000_000L;
  private static final int STRIPES = 1024;

  private record Entry(RendezvousSession session, long cachedAtNanos) {
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
  private final int maxEntries;
  private final LongSupplier nanoTime;

  /** @param maxEntries the most sessions held; 0 turns the cache off */
  public SessionReadCache(int maxEntries) {
    this(maxEntries, System::nanoTime);
  }

  SessionReadCache(int maxEntries, LongSupplier nanoTime) {
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  public boolean enabled() {
    return maxEntries > 0;
  }

  /** The session last read for {@code id}, or null when none is held (or it is too old to trust). */
  public RendezvousSession get(String id) {
    Entry entry = entries.get(id);
    if (entry == null) {
      return null;
    }
    if (nanoTime.getAsLong() - entry.cachedAtNanos() > MAX_AGE_NANOS) {
      entries.remove(id, entry);
      return null;
    }
    return entry.session();
  }

  /** Taken before reading {@code id} from the cluster; hand it back to {@link #put}. */
  public long stamp(String id) {
    return generations.get(stripe(id));
  }

  /** Keeps what was read, unless {@code id} was invalidated since {@code stamp} was taken. */
  public void put(String id, RendezvousSession session, long stamp) {
    if (!enabled() || generations.get(stripe(id)) != stamp) {
      return;
    }
    if (entries.size() >= maxEntries) {
      dropAged();
      if (entries.size() >= maxEntries) {
        return;
      }
    }
    Entry entry = new Entry(session, nanoTime.getAsLong());
    entries.put(id, entry);
    if (generations.get(stripe(id)) != stamp) {
      // An invalidation ran meanwhile, possibly before this put: undo, it may have missed the entry.
      entries.remove(id, entry);
    }
  }

  /** Forgets {@code id}: it was written or deleted somewhere in the cluster. */
  public void invalidate(String id) {
    generations.incrementAndGet(stripe(id));
    entries.remove(id);
  }

  int size() {
    return entries.size();
  }

  private void dropAged() {
    long now = nanoTime.getAsLong();
    entries.entrySet().removeIf(e -> now - e.getValue().cachedAtNanos() > MAX_AGE_NANOS);
  }

  private static int stripe(String id) {
    return (id.hashCode() & 0x7fffffff) % STRIPES;
  }
}
