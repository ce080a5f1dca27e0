package org.gatehouse.infra.ratelimit;

/** One bucket a request is counted against: its key (e.g. {@code signin:address:203.0.113.7}) and its limit. */
public record Budget(String key, RateLimit limit) {
}
