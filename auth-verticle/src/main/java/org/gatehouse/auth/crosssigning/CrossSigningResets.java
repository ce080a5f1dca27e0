package org.gatehouse.auth.crosssigning;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.store.Sql;

/**
 * Cross-signing reset approvals (MSC4312). Approving on the account page opens a window (10 minutes by default)
 * during which the homeserver may let one replacement of the user's cross-signing keys through without further
 * authentication; the homeserver consumes the window when it does, so one approval allows one reset.
 */
public final class CrossSigningResets {
  /** Published: {@code {"user_id","expires_ts","expires_in_ms"}} when a user approves a reset. */
  public static final String APPROVED = "gatehouse.auth.cross_signing_reset.approved";
  /** Published: {@code {"user_id"}} when the homeserver used an approval. */
  public static final String CONSUMED = "gatehouse.auth.cross_signing_reset.consumed";

  /** An open window. */
  public record Window(Instant expiresAt) {
  }

  private final Pool pool;
  private final EventBus bus;
  private final Duration window;
  private final Clock clock;

  public CrossSigningResets(Pool pool, EventBus bus, Duration window, Clock clock) {
    this.pool = pool;
    this.bus = bus;
    this.window = window;
    this.clock = clock;
  }

  public Duration window() {
    return window;
  }

  public Future<Window> approve(UUID userId, String matrixUserId) {
    Instant now = clock.instant();
    Instant expires = now.plus(window);
    return pool.preparedQuery("INSERT INTO auth.cross_signing_resets (id, user_id, approved_at, expires_at)"
            + " VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(UUID.randomUUID(), userId, Sql.ts(now), Sql.ts(expires)))
        .map(done -> {
          bus.publish(APPROVED, new JsonObject().put("user_id", matrixUserId).put("expires_ts", expires.toEpochMilli())
              .put("expires_in_ms", window.toMillis()));
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
            bus.publish(CONSUMED, new JsonObject().put("user_id", matrixUserId));
          }
          return consumed;
        });
  }
}
