package org.gatehouse.common.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs on the member that owns the bucket's key, so concurrent requests from every node are counted against
 * the same bucket without locks. Answers 0 when a token was taken, else the milliseconds until one will be free.
 */
final class TakeToken implements EntryProcessor<String, TokenBucket, Long> {
  private static final long serialVersionUID = 1L;

  private final double perSecond;
  private final int burst;
  private final long nowMillis;
  private final long ttlMillis;

  TakeToken(RateLimit limit, long nowMillis) {
    this.perSecond = limit.perSecond();
    this.burst = limit.burst();
    this.nowMillis = nowMillis;
    this.ttlMillis = Math.max(1000, limit.refillTime().toMillis());
  }

  @Override
  public Long process(Map.Entry<String, TokenBucket> entry) {
    TokenBucket bucket = entry.getValue();
    double tokens = burst;
    if (bucket != null) {
      long elapsed = Math.max(0, nowMillis - bucket.atMillis());
      tokens = Math.min(burst, bucket.tokens() + elapsed * perSecond / 1000.0);
    }
    long wait = 0;
    if (tokens >= 1) {
      tokens -= 1;
    } else {
      wait = (long) Math.ceil((1 - tokens) / perSecond * 1000.0);
    }
    TokenBucket updated = new TokenBucket(tokens, nowMillis);
    // A bucket left alone until it is full again carries no information: let it expire.
    ((ExtendedMapEntry<String, TokenBucket>) entry).setValue(updated, ttlMillis, TimeUnit.MILLISECONDS);
    return wait;
  }
}
