package org.gatehouse.auth.oauth;

import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.MatrixError;

/** What an OAuth endpoint answers when the homeserver could not take a change the answer depends on. */
public final class HomeserverFailures {
  private HomeserverFailures() {
  }

  /**
   * A homeserver that is away is {@code temporarily_unavailable} with its retry delay; one that refuses the device
   * (say, an ID it will not accept) makes the grant unusable, {@code invalid_grant}.
   */
  public static OAuthError toOAuth(Throwable failure) {
    MatrixError error = BusErrors.toMatrixError(failure);
    if (error.status() == 400) {
      return OAuthError.invalidGrant("the homeserver refused the device: " + error.errcode() + " " + error.error());
    }
    long seconds = error.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(5L);
    return OAuthError.temporarilyUnavailable("the homeserver is unavailable; try again shortly", seconds);
  }
}
