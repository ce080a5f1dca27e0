package org.gatehouse.rendezvous.domain;

/**
 * The two rendezvous wire formats. Both share one store, but a session answers only to the protocol that created
 * it: the two have different write rules, and a client of one must never see the other's mailbox.
 */
public enum Protocol {
  /** The 2025 version: JSON bodies, {@code sequence_token}, an idempotent retry of the last write. */
  MSC4388,
  /** The 2024 version: raw {@code text/plain} bodies, strong ETags, {@code If-Match} / {@code If-None-Match}. */
  MSC4108;

  /** Whether a write that repeats the previous one (same token, same data) succeeds instead of conflicting. */
  public boolean allowsIdempotentRetry() {
    return this == MSC4388;
  }
}
