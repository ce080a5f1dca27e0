package org.gatehouse.auth.crosssigning;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.store.Sql;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;

/**
 * Cross-signing reset approvals (MSC4312). Approving on the account page opens a window (10 minutes by default)
 * during which the homeserver may let one replacement of the user's cross-signing keys through without further
 * authentication; the homeserver consumes the window when it does, so one approval allows one reset.
 */
public final class CrossSigningResets {
  /** An open window. */
  public record Window(Instant expiresAt) {
  }

  private final Pool pool;
  private final EventBus bus;
  private final Duration window;
  private final Clock clock;
  private final Homeserver homeserver;

  public CrossSigningResets(Pool pool, EventBus bus, Duration window, Clock clock, Homeserver homeserver) {
    this.pool = pool;
    this.bus = bus;
    this.window = window;
    this.clock = clock;
    this.homeserver = homeserver;
  }

  public Duration window() {
    return window;
  }

  /**
   * Opens a window for {@code userId}; a homeserver kept in step (Synapse) is told at once, since it decides the
   * upload itself ({@code allow_cross_signing_reset}, its own 10-minute window).
   */
  public Future<Window> approve(UUID userId, String localpart, String matrixUserId) {
    Instant now = clock.instant();
    Instant expires = now.plus(window);
    return pool.preparedQuery("INSERT INTO auth.cross_signing_resets (id, user_id, approved_at, expires_at)"
            + " VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(UUID.randomUUID(), userId, Sql.ts(now), Sql.ts(expires)))
        .compose(done -> homeserver.allowCrossSigningReset(localpart))
        .map(done -> {
          bus.publish(AuthFacts.CrossSigningResetApproved.ADDRESS,
              new AuthFacts.CrossSigningResetApproved(matrixUserId, expires.toEpochMilli(), window.toMillis()).toJson());
          return new Window(expires);
        });
  }

  /** The open (unexpired, unused) window of a user, if any. */
  public Future<Optional<Window>> open(UUID userId) {
    return pool.preparedQuery("SELECT max(expires_at) AS expires_at FROM auth.cross_signing_resets"
            + " WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2")
        .execute(Tuple.of(userId, Sql.ts(clock.instant())))
        .map(rows -> {
          Row row = rows.iterator().next();
          Instant expires = Sql.instant(row, "expires_at");
          return expires == null ? Optional.empty() : Optional.of(new Window(expires));
        });
  }

  /** Uses the user's open window; completes with whether there was one. Atomic: two calls cannot both succeed. */
  public Future<Boolean> consume(UUID userId, String matrixUserId) {
    Instant now = clock.instant();
    return pool.preparedQuery("""
            UPDATE auth.cross_signing_resets SET used_at = $2 WHERE id = (
              SELECT id FROM auth.cross_signing_resets
              WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2
              ORDER BY expires_at DESC LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id""")
        .execute(Tuple.of(userId, Sql.ts(now)))
        .map(rows -> {
          boolean consumed = rows.rowCount() == 1;
          if (consumed) {
            bus.publish(AuthFacts.CrossSigningResetConsumed.ADDRESS,
                new AuthFacts.CrossSigningResetConsumed(matrixUserId).toJson());
          }
          return consumed;
        });
  }
}
