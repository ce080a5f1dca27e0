package org.gatehouse.common.ratelimit;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** How long until a token would be free, without taking one (for "count only failures" limits). */
final class PeekToken implements EntryProcessor<String, TokenBucket, Long>, ReadOnly {
  private static final long serialVersionUID = 1L;

  private final double perSecond;
  private final int burst;
  private final long nowMillis;

  PeekToken(RateLimit limit, long nowMillis) {
    this.perSecond = limit.perSecond();
    this.burst = limit.burst();
    this.nowMillis = nowMillis;
  }

  @Override
  public Long process(Map.Entry<String, TokenBucket> entry) {
    TokenBucket bucket = entry.getValue();
    if (bucket == null) {
      return 0L;
    }
    long elapsed = Math.max(0, nowMillis - bucket.atMillis());
    double tokens = Math.min(burst, bucket.tokens() + elapsed * perSecond / 1000.0);
    return tokens >= 1 ? 0L : (long) Math.ceil((1 - tokens) / perSecond * 1000.0);
  }

  @Override
  public EntryProcessor<String, TokenBucket, Long> getBackupProcessor() {
    return null;
  }
}
