package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.gatehouse.auth.domain.IssuedTokens;

/** Issuing an access/refresh pair for a session, inside the transaction that creates or refreshes it. */
public final class TokenPairs {
  private TokenPairs() {
  }

  /** An access token valid for {@code accessLifetime} from now, then the refresh token that goes with it. */
  public static Future<IssuedTokens> issue(Transaction tx, UUID sessionId, Duration accessLifetime, Clock clock) {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(accessLifetime);
    return tx.accessTokens().add(sessionId, now, expiresAt)
        .compose(access -> tx.refreshTokens().add(sessionId, access.id(), now)
            .map(refresh -> new IssuedTokens(access.token(), refresh.token(), access.id(), refresh.id(), expiresAt)));
  }
}
