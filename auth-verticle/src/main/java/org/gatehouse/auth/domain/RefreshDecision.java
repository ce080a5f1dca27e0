package org.gatehouse.auth.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * What to do with a presented refresh token (rotation with lost-response tolerance and replay detection, as
 * the reference Matrix authorization service does). Pure: decided from the stored state alone.
 */
public enum RefreshDecision {
  /** First use: issue the next pair and remember it as this token's successor. */
  ROTATE,
  /**
   * Used moments ago (within the reissue window), but its successor was never used: the client lost the response.
   * Replace the successor.
   */
  REISSUE,
  /**
   * An old, invalidated token is being used (MSC2964: consider the session compromised): used before and its
   * successor was used too, or used longer ago than the reissue window, or a successor revoked by a reissue.
   * End the session.
   */
  REPLAY,
  /** Its session or account is gone, or another client presents it. */
  INVALID;

  /**
   * @param reissueWindow how long after a token's first use a retry with it still counts as a lost response
   */
  public static RefreshDecision of(RefreshState state, String clientId, Instant now, Duration reissueWindow) {
    if (state.sessionFinishedAt() != null || state.userDeactivatedAt() != null || !state.clientId().equals(clientId)) {
      return INVALID;
    }
    if (state.revokedAt() != null) {
      // The session is open, so no logout revoked it: a reissue did, replacing this pair after a retry with the
      // token before it. The holder of this token and the one who retried cannot both be the client.
      return REPLAY;
    }
    if (state.consumedAt() == null) {
      return ROTATE;
    }
    if (state.nextUsed() || now.isAfter(state.consumedAt().plus(reissueWindow))) {
      return REPLAY;
    }
    return REISSUE;
  }
}
