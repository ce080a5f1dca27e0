package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Cross-signing reset approvals (MSC4312): windows during which the homeserver may let one key replacement through. */
public interface CrossSigningResetStore {
  /** Records an approval for the user, given at {@code approvedAt} and open until {@code expiresAt}. */
  Future<Void> add(UUID userId, Instant approvedAt, Instant expiresAt);

  /** The end of the user's latest open (unexpired at {@code now}, unused) window, if any. */
  Future<Optional<Instant>> openUntil(UUID userId, Instant now);

  /**
   * Uses the user's open window at {@code now}; completes with whether there was one. Atomic: two calls cannot both
   * succeed.
   */
  Future<Boolean> consume(UUID userId, Instant now);
}
