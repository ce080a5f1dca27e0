package org.gatehouse.rendezvous.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
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
 * acknowledge in time). The store is Caffeine, bounded by size and expiring by age; the generations are ours.
 */
public final class SessionReadCache {
  static final long MAX_AGE_NANOS = 1_000_000_000L;
  private static final int STRIPES = 1024;

  private final Cache<String, RendezvousSession> entries;
  private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
  private final int maxEntries;

  /** @param maxEntries the most sessions held; 0 turns the cache off */
  public SessionReadCache(int maxEntries) {
    this(maxEntries, System::nanoTime);
  }

  SessionReadCache(int maxEntries, LongSupplier nanoTime) {
    this.maxEntries = maxEntries;
    // Trusted for MAX_AGE inclusive (Caffeine expires an entry once its age reaches the duration). Maintenance
    // runs on the calling thread rather than on the common fork-join pool (see HazelcastFutures).
    this.entries = Caffeine.newBuilder()
        .maximumSize(Math.max(0, maxEntries))
        .expireAfterWrite(Duration.ofNanos(MAX_AGE_NANOS + 1))
        .ticker(nanoTime::getAsLong)
        .executor(Runnable::run)
        .build();
  }

  public boolean enabled() {
    return maxEntries > 0;
  }

  /** The session last read for {@code id}, or null when none is held (or it is too old to trust). */
  public RendezvousSession get(String id) {
    return entries.getIfPresent(id);
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
    entries.put(id, session);
    if (generations.get(stripe(id)) != stamp) {
      // An invalidation ran meanwhile, possibly before this put: undo, it may have missed the entry.
      entries.asMap().remove(id, session);
    }
  }

  /** Forgets {@code id}: it was written or deleted somewhere in the cluster. */
  public void invalidate(String id) {
    generations.incrementAndGet(stripe(id));
    entries.invalidate(id);
  }

  int size() {
    entries.cleanUp();
    return (int) entries.estimatedSize();
  }

  private static int stripe(String id) {
    return (id.hashCode() & 0x7fffffff) % STRIPES;
  }
}
