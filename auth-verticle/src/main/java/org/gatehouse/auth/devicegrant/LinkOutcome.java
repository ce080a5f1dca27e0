package org.gatehouse.auth.devicegrant;

import java.time.Duration;
import org.gatehouse.auth.domain.DeviceGrant;

/**
 * What became of a person's decision on the device link page. These are the expected ends of a decision, so they are
 * values rather than failures: a failed future from {@link DeviceGrants#approve} or {@link DeviceGrants#deny} is an
 * actual fault (the database, a homeserver that refused the device).
 */
public sealed interface LinkOutcome {
  /** The same answer whatever the reason, so there is one. */
  Gone GONE = new Gone();

  /** Approved: the device exists, and the new device's next poll collects its tokens. */
  record Approved(DeviceGrant grant) implements LinkOutcome {
  }

  /** Denied: the new device's next poll learns it. */
  record Denied(DeviceGrant grant) implements LinkOutcome {
  }

  /** The grant no longer waits for a decision: decided meanwhile (in another browser), expired, or unknown. */
  record Gone() implements LinkOutcome {
  }

  /**
   * The homeserver could not register the device just now: nothing was decided and the grant still waits, so the
   * person can press Approve again after {@code retryAfter}.
   */
  record HomeserverAway(Duration retryAfter) implements LinkOutcome {
  }
}
