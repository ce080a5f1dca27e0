package org.gatehouse.auth.requester;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.gatehouse.auth.domain.AccessGrant;

/**
 * This node's near cache of resolved access tokens, keyed by token digest. Entries live at most
 * {@link #MAX_AGE} (a safety net: invalidation is explicit, cluster-wide and acknowledged).
 *
 * <p>Filling races with invalidation: a lookup that started before an invalidation may return the state from
 * before it. So a filler takes a {@link #generation()} before reading the database and {@link #put} drops the
 * entry if any invalidation happened since.
 */
public final class TokenCache {
  static final Duration MAX_AGE = Duration.ofSeconds(60);

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final int maxEntries;

  record Entry(AccessGrant grant, Instant cachedUntil) {
  }

  public TokenCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  public long generation() {
    return generation.get();
  }

  public AccessGrant get(String digest, Instant now) {
    Entry entry = entries.get(digest);
    if (entry == null) {
      return null;
    }
    if (!entry.cachedUntil().isAfter(now)) {
      entries.remove(digest, entry);
      return null;
    }
    return entry.grant();
  }

  public void put(String digest, AccessGrant grant, long seenGeneration, Instant now) {
    if (entries.size() >= maxEntries) {
      sweep(now);
      if (entries.size() >= maxEntries) {
        return;
      }
    }
    Instant until = now.plus(MAX_AGE);
    if (grant.expiresAt().isBefore(until)) {
      until = grant.expiresAt();
    }
    entries.put(digest, new Entry(grant, until));
    if (generation.get() != seenGeneration) {
      entries.remove(digest);
    }
  }

  public void invalidate(Collection<String> digests) {
    generation.incrementAndGet();
    digests.forEach(entries::remove);
  }

  public void invalidateUser(String localpart) {
    generation.incrementAndGet();
    entries.values().removeIf(e -> e.grant().localpart().equals(localpart));
  }

  public void sweep(Instant now) {
    entries.values().removeIf(e -> !e.cachedUntil().isAfter(now));
  }

  public int size() {
    return entries.size();
  }
}
