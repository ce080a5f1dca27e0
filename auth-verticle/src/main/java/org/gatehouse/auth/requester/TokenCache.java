package org.gatehouse.auth.requester;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.gatehouse.auth.domain.AccessGrant;

/**
 * This node's near cache of resolved access tokens, keyed by token digest. Entries live at most
 * {@link #MAX_AGE}, and never past the token's own expiry (a safety net: invalidation is explicit, cluster-wide
 * and acknowledged).
 *
 * <p>Filling races with invalidation: a lookup that started before an invalidation may return the state from
 * before it. So a filler takes a {@link #generation()} before reading the database and {@link #put} drops the
 * entry if any invalidation happened since.
 *
 * <p>The store is Caffeine, bounded by size (W-TinyLFU eviction when full) and expiring each entry after its own
 * lifetime. Its maintenance runs on the calling thread, not on the common fork-join pool, which a two-core
 * machine does not have to spare (see {@code HazelcastFutures}). Caffeine's clock is the system's; the clock
 * the callers pass ({@code now}, the node's injected clock) is checked on every read as well, so a test that
 * moves its clock sees entries lapse.
 */
public final class TokenCache {
  static final Duration MAX_AGE = Duration.ofSeconds(60);

  private final Cache<String, Entry> entries;
  private final AtomicLong generation = new AtomicLong();

  record Entry(AccessGrant grant, Instant cachedUntil, Duration lifetime) {
  }

  public TokenCache(int maxEntries) {
    this.entries = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfter(Expiry.writing((String digest, Entry entry) -> entry.lifetime()))
        .executor(Runnable::run)
        .build();
  }

  public long generation() {
    return generation.get();
  }

  public AccessGrant get(String digest, Instant now) {
    Entry entry = entries.getIfPresent(digest);
    if (entry == null) {
      return null;
    }
    if (!entry.cachedUntil().isAfter(now)) {
      entries.asMap().remove(digest, entry);
      return null;
    }
    return entry.grant();
  }

  public void put(String digest, AccessGrant grant, long seenGeneration, Instant now) {
    Instant until = now.plus(MAX_AGE);
    if (grant.expiresAt().isBefore(until)) {
      until = grant.expiresAt();
    }
    if (!until.isAfter(now)) {
      return;
    }
    entries.put(digest, new Entry(grant, until, Duration.between(now, until)));
    if (generation.get() != seenGeneration) {
      entries.invalidate(digest);
    }
  }

  public void invalidate(Collection<String> digests) {
    generation.incrementAndGet();
    entries.invalidateAll(digests);
  }

  public void invalidateUser(String localpart) {
    generation.incrementAndGet();
    entries.asMap().values().removeIf(e -> e.grant().localpart().equals(localpart));
  }

  /** Drops what has lapsed by {@code now} and lets Caffeine catch up on its own expiry and eviction. */
  public void sweep(Instant now) {
    entries.asMap().values().removeIf(e -> !e.cachedUntil().isAfter(now));
    entries.cleanUp();
  }

  public int size() {
    entries.cleanUp();
    return (int) entries.estimatedSize();
  }
}
