package org.gatehouse.homeserver.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable queue of calls to the homeserver, in PostgreSQL ({@code homeserver.outbox}), and the lease that
 * lets one node at a time work it. Every method is one statement.
 */
public final class Outbox {
  /** What the depth gauges read. */
  public record Depth(long pending, long failed, Instant oldestPending) {
  }

  private final Pool pool;
  private final Clock clock;
  private volatile Runnable added = () -> { };

  public Outbox(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** {@code listener} runs after each call this node queues (the worker, to send it without waiting for its tick). */
  public void onAdded(Runnable listener) {
    this.added = listener;
  }

  /** Queues a call, due at once. */
  public Future<Void> add(String operation, String localpart, JsonObject body) {
    OffsetDateTime now = ts(clock.instant());
    return pool.preparedQuery("INSERT INTO homeserver.outbox (operation, localpart, body, created_at, next_attempt_at)"
            + " VALUES ($1, $2, $3, $4, $4)")
        .execute(Tuple.of(operation, localpart, body, now)).<Void>mapEmpty()
        .onSuccess(done -> added.run());
  }

  /** Queues a reconciliation unless one is pending; completes with whether this call queued it. */
  public Future<Boolean> addReconcile(JsonObject body) {
    OffsetDateTime now = ts(clock.instant());
    return pool.preparedQuery("INSERT INTO homeserver.outbox (operation, localpart, body, created_at, next_attempt_at)"
            + " VALUES ($1, NULL, $2, $3, $3) ON CONFLICT (operation) WHERE operation = 'reconcile' AND failed_at IS NULL"
            + " DO NOTHING")
        .execute(Tuple.of(OutboxEntry.RECONCILE, body, now)).map(rows -> rows.rowCount() == 1)
        .onSuccess(queued -> added.run());
  }

  /**
   * Takes or renews the lease for {@code node}; completes with whether {@code node} holds it now. A holder that
   * stopped renewing loses it once it has lapsed.
   */
  public Future<Boolean> holdLease(String node, Duration lease) {
    Instant now = clock.instant();
    return pool.preparedQuery("UPDATE homeserver.outbox_lease SET holder = $1, expires_at = $2"
            + " WHERE id = 1 AND (holder = $1 OR holder IS NULL OR expires_at < $3) RETURNING holder")
        .execute(Tuple.of(node, ts(now.plus(lease)), ts(now))).map(rows -> rows.rowCount() == 1);
  }

  /** Gives the lease up (a node that stops), so another node need not wait for it to lapse. */
  public Future<Void> releaseLease(String node) {
    return pool.preparedQuery("UPDATE homeserver.outbox_lease SET holder = NULL, expires_at = 'epoch'"
        + " WHERE id = 1 AND holder = $1").execute(Tuple.of(node)).mapEmpty();
  }

  /**
   * The calls due now that may go: for each account only its oldest pending call (a later call of the same
   * account never overtakes an earlier one that is waiting to be retried), oldest first.
   */
  public Future<List<OutboxEntry>> due(int limit) {
    return pool.preparedQuery("""
            SELECT o.id, o.operation, o.localpart, o.body, o.created_at, o.attempts FROM homeserver.outbox o
            WHERE o.failed_at IS NULL AND o.next_attempt_at <= $1
              AND NOT EXISTS (SELECT 1 FROM homeserver.outbox p
                              WHERE p.failed_at IS NULL AND p.localpart = o.localpart AND p.id < o.id)
            ORDER BY o.id LIMIT $2""")
        .execute(Tuple.of(ts(clock.instant()), limit))
        .map(rows -> {
          List<OutboxEntry> entries = new ArrayList<>();
          for (Row row : rows) {
            entries.add(new OutboxEntry(row.getLong("id"), row.getString("operation"), row.getString("localpart"),
                (JsonObject) row.getValue("body"), row.getOffsetDateTime("created_at").toInstant(),
                row.getInteger("attempts")));
          }
          return entries;
        });
  }

  /** The homeserver took the call. */
  public Future<Void> done(long id) {
    return pool.preparedQuery("DELETE FROM homeserver.outbox WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /** The call failed in a way worth retrying: try again after {@code delay}. */
  public Future<Void> retryLater(long id, Duration delay, String error) {
    return pool.preparedQuery("UPDATE homeserver.outbox SET attempts = attempts + 1, next_attempt_at = $2,"
            + " last_error = $3 WHERE id = $1")
        .execute(Tuple.of(id, ts(clock.instant().plus(delay)), truncate(error))).mapEmpty();
  }

  /** The homeserver refused the call for good: kept for inspection, no longer retried or in anyone's way. */
  public Future<Void> failed(long id, String error) {
    return pool.preparedQuery("UPDATE homeserver.outbox SET attempts = attempts + 1, failed_at = $2, last_error = $3"
            + " WHERE id = $1")
        .execute(Tuple.of(id, ts(clock.instant()), truncate(error))).mapEmpty();
  }

  /** A long job's progress (the reconciliation's cursor), so a retry resumes instead of starting over. */
  public Future<Void> saveProgress(long id, JsonObject body) {
    return pool.preparedQuery("UPDATE homeserver.outbox SET body = $2 WHERE id = $1").execute(Tuple.of(id, body))
        .mapEmpty();
  }

  public Future<Depth> depth() {
    return pool.query("SELECT count(*) FILTER (WHERE failed_at IS NULL) AS pending,"
            + " count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed,"
            + " min(created_at) FILTER (WHERE failed_at IS NULL) AS oldest FROM homeserver.outbox")
        .execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          OffsetDateTime oldest = row.getOffsetDateTime("oldest");
          return new Depth(row.getLong("pending"), row.getLong("failed"), oldest == null ? null : oldest.toInstant());
        });
  }

  private static String truncate(String error) {
    return error == null || error.length() <= 500 ? error : error.substring(0, 500);
  }

  private static OffsetDateTime ts(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
