package org.gatehouse.infra.ratelimit;

import java.time.Duration;
import org.gatehouse.common.config.ConfigNode;

/**
 * A token bucket: up to {@code burst} requests at once, refilled at {@code perSecond}. A limit of zero burst
 * means "unlimited" (the check is skipped entirely).
 */
public record RateLimit(double perSecond, int burst) {
  public static final RateLimit UNLIMITED = new RateLimit(0, 0);

  public boolean unlimited() {
    return burst == 0;
  }

  /**
   * How many tokens a node takes from the shared bucket at once (see {@code ClusterRateLimiter}): one for small
   * limits, which must count exactly (a node holding spare tokens would hide them from the others), up to 64
   * for limits whose burst is large enough that a sixteenth of it is not worth a cluster call per request.
   */
  public int leaseSize() {
    return Math.max(1, Math.min(64, burst / 16));
  }

  /** How long an empty bucket takes to refill completely: idle buckets are forgotten after that. */
  public Duration refillTime() {
    return perSecond <= 0 ? Duration.ofHours(1) : Duration.ofMillis((long) Math.ceil(burst / perSecond * 1000));
  }

  /**
   * Reads {@code <key>: {per_second: <rate>, burst: <n>}} from {@code node}; {@code burst: 0} turns the limit off.
   */
  public static RateLimit read(ConfigNode node, String key, RateLimit defaultValue) {
    ConfigNode section = node.section(key);
    int burst = section.integer("burst", defaultValue.burst(), 0, 1_000_000);
    String rate = section.string("per_second", Double.toString(defaultValue.perSecond()));
    double perSecond;
    try {
      perSecond = Double.parseDouble(rate);
    } catch (NumberFormatException e) {
      throw section.problem("per_second", "expected a number of requests per second such as 0.5, got \"" + rate + "\"");
    }
    if (!(perSecond > 0) || perSecond > 1_000_000) {
      throw section.problem("per_second", "expected a rate above 0 and at most 1000000, got " + rate);
    }
    return new RateLimit(perSecond, burst);
  }
}
