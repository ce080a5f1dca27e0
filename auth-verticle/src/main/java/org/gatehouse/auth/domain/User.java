package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An account. {@code id} is the stable subject ({@code sub}) of its tokens; the localpart makes its Matrix ID;
 * {@code displayName} is null when none was given.
 */
public record User(UUID id, String localpart, String passwordHash, boolean admin, String appserviceId,
                   Instant createdAt, Instant deactivatedAt, String displayName) {
  /** Synapse's limit for a display name; the homeserver refuses a longer one. */
  public static final int MAX_DISPLAY_NAME = 256;

  public boolean deactivated() {
    return deactivatedAt != null;
  }
}
