package org.gatehouse.auth.domain;

import java.time.Instant;

/**
 * What to do with a presented refresh token (rotation with lost-response tolerance and replay detection, as
 * the reference Matrix authorization service does). Pure: decided from the stored state alone.
 */
public enum RefreshDecision {
  /** First use: issue the next pair and remember it as this token's successor. */
  ROTATE,
  /** Used before, but its successor was never used: the client lost the response. Replace the successor. */
  REISSUE,
  /** Used before and its successor was used too: someone is replaying a stolen token. End the session. */
  REPLAY,
  /** Revoked, or its session or account is gone. */
  INVALID;

  public static RefreshDecision of(RefreshState state, String clientId, Instant now) {
    if (state.revokedAt() != null || state.sessionFinishedAt() != null || state.userDeactivatedAt() != null
        || !state.clientId().equals(clientId)) {
      return INVALID;
    }
    if (state.consumedAt() == null) {
      return ROTATE;
    }
    return state.nextUsed() ? REPLAY : REISSUE;
  }
}
