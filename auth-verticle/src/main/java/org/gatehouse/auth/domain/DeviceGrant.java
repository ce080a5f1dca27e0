package org.gatehouse.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A device authorization grant (RFC 8628) and its state machine, in one place:
 *
 * <pre>
 *   pending ──approve──▶ approved ──exchange──▶ exchanged
 *      │  └────deny────▶ denied              │
 *      └──────────(expires_at passes)─────────┴──▶ expired   (a view of time, not a stored state)
 * </pre>
 *
 * An approved grant that is not collected before {@code expires_at} expires too: a device code found days later
 * (a crashed device, a log) is worth nothing.
 *
 * Pure: transitions return a new grant or refuse; storing them is the store's job.
 */
public record DeviceGrant(UUID id, String userCode, String clientId, String scope, State state, int intervalSeconds,
                          Instant createdAt, Instant expiresAt, Instant lastPolledAt, String requestedFrom,
                          String requestedByAgent, UUID userId, Instant decidedAt, UUID sessionId) {

  /** The stored states. */
  public enum State { PENDING, APPROVED, DENIED, EXCHANGED }

  /** What a poll of the token endpoint finds. */
  public enum PollOutcome { PENDING, SLOW_DOWN, APPROVED, DENIED, EXPIRED, ALREADY_EXCHANGED }

  /** How long a client must wait after an answer before polling again is not "too fast". */
  static final Duration POLL_TOLERANCE = Duration.ofMillis(800);
  /** RFC 8628 §3.5: after slow_down, the interval grows by 5 seconds. */
  static final int SLOW_DOWN_STEP = 5;
  /** ...but no further than this: a poll is held up to one interval, and that hold must stay short. */
  public static final int MAX_INTERVAL_SECONDS = 60;

  public boolean expiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }

  /** Whether the code can still be looked up and approved on the device-link page. */
  public boolean awaitingUser(Instant now) {
    return state == State.PENDING && !expiredAt(now);
  }

  public DeviceGrant approve(UUID user, Instant now) {
    requireAwaitingUser(now);
    return with(State.APPROVED, user, now, sessionId);
  }

  public DeviceGrant deny(UUID user, Instant now) {
    requireAwaitingUser(now);
    return with(State.DENIED, user, now, sessionId);
  }

  public DeviceGrant exchanged(UUID session) {
    if (state != State.APPROVED) {
      throw new IllegalStateException("only an approved grant can be exchanged, not a " + state + " one");
    }
    return with(State.EXCHANGED, userId, decidedAt, session);
  }

  /**
   * What a poll at {@code now} finds. Polling again sooner than the interval after the previous answer is
   * "too fast" (checked before anything else, as RFC 8628 §3.5 asks).
   */
  public PollOutcome poll(Instant now) {
    if (state == State.EXCHANGED) {
      return PollOutcome.ALREADY_EXCHANGED;
    }
    if (state == State.DENIED) {
      return PollOutcome.DENIED;
    }
    if (expiredAt(now)) {
      return PollOutcome.EXPIRED;
    }
    if (state == State.APPROVED) {
      return PollOutcome.APPROVED;
    }
    if (lastPolledAt != null
        && now.isBefore(lastPolledAt.plusSeconds(intervalSeconds).minus(POLL_TOLERANCE))) {
      return PollOutcome.SLOW_DOWN;
    }
    return PollOutcome.PENDING;
  }

  /** The grant after answering a poll at {@code now} with {@code outcome}. */
  public DeviceGrant polled(Instant now, PollOutcome outcome) {
    int interval = outcome == PollOutcome.SLOW_DOWN
        ? Math.max(intervalSeconds, Math.min(intervalSeconds + SLOW_DOWN_STEP, MAX_INTERVAL_SECONDS)) : intervalSeconds;
    return new DeviceGrant(id, userCode, clientId, scope, state, interval, createdAt, expiresAt, now, requestedFrom,
        requestedByAgent, userId, decidedAt, sessionId);
  }

  private void requireAwaitingUser(Instant now) {
    if (!awaitingUser(now)) {
      throw new IllegalStateException("the grant is " + (expiredAt(now) ? "expired" : state.name().toLowerCase()));
    }
  }

  private DeviceGrant with(State next, UUID user, Instant decided, UUID session) {
    return new DeviceGrant(id, userCode, clientId, scope, next, intervalSeconds, createdAt, expiresAt, lastPolledAt,
        requestedFrom, requestedByAgent, user, decided, session);
  }
}
