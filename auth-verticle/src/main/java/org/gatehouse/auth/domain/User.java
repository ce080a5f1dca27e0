package org.gatehouse.auth.domain;

import java.time.Instant;
import java.util.UUID;

/** An account. {@code id} is the stable subject ({@code sub}) of its tokens; the localpart makes its Matrix ID. */
public record User(UUID id, String localpart, String passwordHash, boolean admin, String appserviceId,
                   Instant createdAt, Instant deactivatedAt) {
  public boolean deactivated() {
    return deactivatedAt != null;
  }
}
