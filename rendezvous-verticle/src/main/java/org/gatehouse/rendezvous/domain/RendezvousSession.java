package org.gatehouse.rendezvous.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One rendezvous mailbox: a single payload two devices take turns to overwrite, ordered by an opaque token that
 * changes on every write (the MSC4388 {@code sequence_token}, the MSC4108 ETag). It expires a fixed time after
 * creation; writes never extend it.
 *
 * <p>All times are milliseconds since the epoch of the clock of the node that acted, so the same rules run
 * unchanged where the session is stored (the write rules execute on the Hazelcast member that owns the entry, and
 * again on its backup, with the time the requesting node passed in).
 *
 * @param id the unguessable id, which is also the capability to read, write and delete
 * @param protocol the protocol that created it, the only one it answers to
 * @param data the payload, opaque to the server
 * @param token the current token; a fresh random value on every write
 * @param previousToken the token before the last write, or null before the first write (idempotent retry)
 * @param createdAtMs when it was created
 * @param expiresAtMs when it stops existing
 * @param lastModifiedMs when the payload was last written
 */
public record RendezvousSession(String id, Protocol protocol, String data, String token, String previousToken,
                                long createdAtMs, long expiresAtMs, long lastModifiedMs) {
  public RendezvousSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(token, "token");
  }

  /** A new session created at {@code now} that lives for {@code lifetime}. */
  public static RendezvousSession create(String id, Protocol protocol, String data, String token, Instant now,
                                         Duration lifetime) {
    long at = now.toEpochMilli();
    return new RendezvousSession(id, protocol, data, token, null, at, at + lifetime.toMillis(), at);
  }

  public boolean isLiveAt(long nowMs) {
    return nowMs < expiresAtMs;
  }

  /** How long it has left at {@code nowMs}, never negative. */
  public Duration expiresIn(long nowMs) {
    return Duration.ofMillis(Math.max(0, expiresAtMs - nowMs));
  }

  /**
   * Applies a write: it succeeds when {@code condition} holds for the current token, giving the session
   * {@code newData} and {@code newToken}. Under {@link Protocol#allowsIdempotentRetry()} a write that carries the
   * previous token and the data already stored is a client retrying a write whose answer it lost: it succeeds
   * without changing anything and reports the current token. Anything else is a conflict.
   */
  public WriteResult write(Precondition condition, String newData, String newToken, long nowMs) {
    if (condition.matches(token)) {
      return new WriteResult.Written(new RendezvousSession(id, protocol, newData, newToken, token, createdAtMs,
          expiresAtMs, nowMs));
    }
    if (protocol.allowsIdempotentRetry() && previousToken != null && condition.isExactly(previousToken)
        && data.equals(newData)) {
      return new WriteResult.Retried(this);
    }
    return new WriteResult.Conflict(this);
  }
}
