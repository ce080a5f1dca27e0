package org.gatehouse.infra.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs on the member that owns the bucket's key, so concurrent requests from every node are counted against the
 * same bucket without locks. Takes up to {@code wanted} whole tokens; when none is there, answers how long until
 * one will be.
 */
final class TakeTokens implements EntryProcessor<String, TokenBucket, TakeTokens.Grant> {
  private static final long serialVersionUID = 1L;

  /** Tokens handed out ({@code 0..wanted}); when none, the milliseconds until one will be free. */
  record Grant(int tokens, long waitMillis) implements Serializable {
  }

  private final double perSecond;
  private final int burst;
  private final int wanted;
  private final long nowMillis;
  private final long ttlMillis;

  TakeTokens(RateLimit limit, int wanted, long nowMillis) {
    this.perSecond = limit.perSecond();
    this.burst = limit.burst();
    this.wanted = wanted;
    this.nowMillis = nowMillis;
    this.ttlMillis = Math.max(1000, limit.refillTime().toMillis());
  }

  @Override
  public Grant process(Map.Entry<String, TokenBucket> entry) {
    TokenBucket bucket = entry.getValue();
    double tokens = burst;
    if (bucket != null) {
      long elapsed = Math.max(0, nowMillis - bucket.atMillis());
      tokens = Math.min(burst, bucket.tokens() + elapsed * perSecond / 1000.0);
    }
    int granted = (int) Math.min(wanted, Math.floor(tokens));
    long wait = granted > 0 ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1000.0);
    TokenBucket updated = new TokenBucket(tokens - granted, nowMillis);
    // A bucket left alone until it is full again carries no information: let it expire.
    ((ExtendedMapEntry<String, TokenBucket>) entry).setValue(updated, ttlMillis, TimeUnit.MILLISECONDS);
    return new Grant(granted, wait);
  }
}
