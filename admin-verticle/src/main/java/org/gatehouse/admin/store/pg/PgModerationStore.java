package org.gatehouse.admin.store.pg;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.admin.domain.ModerationChange;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.admin.domain.RestrictionState;
import org.gatehouse.admin.store.ModerationStore;
import org.gatehouse.common.admin.AccountStatus;

public final class PgModerationStore implements ModerationStore {
  /** First key of the per-account advisory lock ("admn"); the second is the hash of the user ID. */
  private static final int LOCK_CLASS = 0x61646d6e;
  /** The localpart of a user ID column: between the leading '@' and the first ':'. */
  private static final String LOCALPART = "split_part(substr(user_id, 2), ':', 1)";
  private static final String COLUMNS = "user_id, suspended, locked, version, suspension_changed_at, "
      + "suspension_changed_by, suspension_reason, lock_changed_at, lock_changed_by, lock_reason";
  private static final String UPSERT = "INSERT INTO admin.account_status (user_id, suspended, locked, version, "
      + "updated_at, updated_by, reason, suspension_changed_at, suspension_changed_by, suspension_reason, "
      + "lock_changed_at, lock_changed_by, lock_reason) "
      + "VALUES ($1, $2, $3, nextval('admin.account_status_version'), $4, $5, $6, $7, $8, $9, $10, $11, $12) "
      + "ON CONFLICT (user_id) DO UPDATE SET suspended = EXCLUDED.suspended, locked = EXCLUDED.locked, "
      + "version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, "
      + "reason = EXCLUDED.reason, suspension_changed_at = EXCLUDED.suspension_changed_at, "
      + "suspension_changed_by = EXCLUDED.suspension_changed_by, suspension_reason = EXCLUDED.suspension_reason, "
      + "lock_changed_at = EXCLUDED.lock_changed_at, lock_changed_by = EXCLUDED.lock_changed_by, "
      + "lock_reason = EXCLUDED.lock_reason RETURNING version";

  private final Pool pool;

  public PgModerationStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Applied> apply(ModerationChange change) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
        .execute(Tuple.of(LOCK_CLASS, change.userId()))
        // Under the lock, nobody else changes this account until we commit: read, decide, write.
        .compose(locked -> read(conn, change.userId()))
        .compose(current -> current.state(change.restriction()).on() == change.on()
            ? Future.succeededFuture(new Applied(current, false))
            : write(conn, current, change).map(written -> new Applied(written, true))));
  }

  private static Future<Moderation> read(SqlConnection conn, String userId) {
    return conn.preparedQuery("SELECT " + COLUMNS + " FROM admin.account_status WHERE user_id = $1")
        .execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? Moderation.none(userId) : fromRow(rows.iterator().next()));
  }

  private static Future<Moderation> write(SqlConnection conn, Moderation current, ModerationChange change) {
    RestrictionState changed = new RestrictionState(change.on(), change.at(), change.actor(), change.reason());
    RestrictionState suspension = change.restriction() == Restriction.SUSPENSION ? changed : current.suspension();
    RestrictionState lock = change.restriction() == Restriction.LOCK ? changed : current.lock();
    Tuple row = Tuple.tuple().addString(change.userId()).addBoolean(suspension.on()).addBoolean(lock.on())
        .addOffsetDateTime(Timestamps.toDb(change.at())).addString(change.actor()).addString(change.reason())
        .addOffsetDateTime(Timestamps.toDb(suspension.changedAt())).addString(suspension.changedBy())
        .addString(suspension.reason())
        .addOffsetDateTime(Timestamps.toDb(lock.changedAt())).addString(lock.changedBy()).addString(lock.reason());
    return conn.preparedQuery(UPSERT).execute(row)
        .map(rows -> new Moderation(change.userId(), suspension, lock, rows.iterator().next().getLong("version")))
        .compose(written -> PgAuditLog.insert(conn, AuditEntry.of(change.at(), change.actor(), change.userId(),
                change.restriction().auditAction(change.on()), change.reason(),
                new JsonObject().put("version", written.version())))
            .map(entry -> written));
  }

  @Override
  public Future<Moderation> get(String userId) {
    return pool.withConnection(conn -> read(conn, userId));
  }

  @Override
  public Future<Map<String, Moderation>> get(Collection<String> userIds) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM admin.account_status WHERE user_id = ANY($1)")
        .execute(Tuple.of(userIds.toArray(new String[0])))
        .map(rows -> {
          Map<String, Moderation> result = new HashMap<>();
          userIds.forEach(id -> result.put(id, Moderation.none(id)));
          rows.forEach(row -> result.put(row.getString("user_id"), fromRow(row)));
          return result;
        });
  }

  @Override
  public Future<List<AccountStatus>> restricted() {
    return pool.query("SELECT " + COLUMNS + " FROM admin.account_status WHERE suspended OR locked")
        .execute()
        .map(rows -> {
          List<AccountStatus> result = new ArrayList<>();
          rows.forEach(row -> result.add(fromRow(row).toStatus()));
          return result;
        });
  }

  @Override
  public Future<List<String>> restrictedUserIds(Restriction restriction, String after, int limit) {
    String column = restriction == Restriction.SUSPENSION ? "suspended" : "locked";
    // Ordered by localpart, as the auth module lists accounts, so that every listing pages in the same order.
    return pool.preparedQuery("SELECT user_id FROM admin.account_status WHERE " + column
            + " AND ($1::text IS NULL OR " + LOCALPART + " > " + LOCALPART.replace("user_id", "$1::text") + ")"
            + " ORDER BY " + LOCALPART + " LIMIT $2")
        .execute(Tuple.of(after, limit))
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getString("user_id")));
          return ids;
        });
  }

  private static Moderation fromRow(Row row) {
    return new Moderation(row.getString("user_id"),
        state(row, row.getBoolean("suspended"), "suspension_"), state(row, row.getBoolean("locked"), "lock_"),
        row.getLong("version"));
  }

  private static RestrictionState state(Row row, boolean on, String prefix) {
    return new RestrictionState(on, Timestamps.fromDb(row.getOffsetDateTime(prefix + "changed_at")),
        row.getString(prefix + "changed_by"), row.getString(prefix + "reason"));
  }
}
