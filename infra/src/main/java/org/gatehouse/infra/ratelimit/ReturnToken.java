package org.gatehouse.infra.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gives one token back to a bucket, never beyond its burst: for an attempt that was counted before it was checked
 * and then turned out not to be one of those the limit is about (a right password, a code that exists). Runs on
 * the key's owner like {@link TakeTokens}, and the same way on its backup (the time travels with it).
 */
final class ReturnToken implements EntryProcessor<String, TokenBucket, Void> {
  private static final long serialVersionUID = 1L;

  private final double perSecond;
  private final int burst;
  private final long nowMillis;
  private final long ttlMillis;

  ReturnToken(RateLimit limit, long nowMillis) {
    this.perSecond = limit.perSecond();
    this.burst = limit.burst();
    this.nowMillis = nowMillis;
    this.ttlMillis = Math.max(1000, limit.refillTime().toMillis());
  }

  @Override
  public Void process(Map.Entry<String, TokenBucket> entry) {
    TokenBucket bucket = entry.getValue();
    if (bucket == null) {
      // Expired: the bucket is full already.
      return null;
    }
    long elapsed = Math.max(0, nowMillis - bucket.atMillis());
    double tokens = Math.min(burst, bucket.tokens() + elapsed * perSecond / 1000.0 + 1);
    ((ExtendedMapEntry<String, TokenBucket>) entry).setValue(new TokenBucket(tokens, nowMillis), ttlMillis,
        TimeUnit.MILLISECONDS);
    return null;
  }
}
