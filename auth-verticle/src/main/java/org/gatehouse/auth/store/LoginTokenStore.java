package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The single-use login tokens of the legacy SSO flow, by digest. */
public interface LoginTokenStore {
  Future<Void> add(byte[] tokenHash, UUID userId, Instant createdAt, Instant expiresAt);

  /** Marks the token used and answers its account, if it exists, is unused and has not expired at {@code now}. */
  Future<Optional<UUID>> consume(byte[] tokenHash, Instant now);
}
