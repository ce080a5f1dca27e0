package org.gatehouse.admin.store.pg;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.AuditQuery;
import org.gatehouse.admin.domain.Page;
import org.gatehouse.admin.store.AuditLog;

public final class PgAuditLog implements AuditLog {
  private static final String INSERT = "INSERT INTO admin.audit_log (at, actor, target, action, reason, details) "
      + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
  // Each filter is either null (ignored) or must match; one statement serves every combination.
  private static final String SELECT = "SELECT id, at, actor, target, action, reason, details FROM admin.audit_log "
      + "WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR target = $2) "
      + "AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4) ORDER BY id DESC LIMIT $5";

  private final Pool pool;

  public PgAuditLog(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<AuditEntry> append(AuditEntry entry) {
    return insert(pool, entry);
  }

  /** Writes {@code entry} through {@code client}: the pool, or the connection of a running transaction. */
  static Future<AuditEntry> insert(SqlClient client, AuditEntry entry) {
    return client.preparedQuery(INSERT)
        .execute(Tuple.of(Timestamps.toDb(entry.at()), entry.actor(), entry.target(), entry.action().wireName(),
            entry.reason(), entry.details()))
        .map(rows -> new AuditEntry(rows.iterator().next().getLong("id"), entry.at(), entry.actor(), entry.target(),
            entry.action(), entry.reason(), entry.details()));
  }

  @Override
  public Future<Page<AuditEntry>> read(AuditQuery query) {
    String action = query.action() == null ? null : query.action().wireName();
    // One more row than asked tells whether there is a next page.
    return pool.preparedQuery(SELECT)
        .execute(Tuple.of(query.before(), query.target(), query.actor(), action, query.limit() + 1))
        .map(rows -> {
          List<AuditEntry> entries = new ArrayList<>();
          rows.forEach(row -> entries.add(fromRow(row)));
          if (entries.size() <= query.limit()) {
            return new Page<>(entries, null);
          }
          List<AuditEntry> page = entries.subList(0, query.limit());
          return new Page<>(page, Long.toString(page.get(page.size() - 1).id()));
        });
  }

  private static AuditEntry fromRow(Row row) {
    Object details = row.getValue("details");
    return new AuditEntry(row.getLong("id"), Timestamps.fromDb(row.getOffsetDateTime("at")), row.getString("actor"),
        row.getString("target"), AuditAction.fromWireName(row.getString("action")), row.getString("reason"),
        details instanceof JsonObject json ? json : new JsonObject());
  }
}
