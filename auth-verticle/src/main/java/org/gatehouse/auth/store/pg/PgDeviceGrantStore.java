package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.DeviceGrant;
import org.gatehouse.auth.store.DeviceGrantStore;

public final class PgDeviceGrantStore implements DeviceGrantStore {
  private static final String COLUMNS = "id, user_code, client_id, scope, state, interval_seconds, created_at, expires_at,"
      + " last_polled_at, requested_from, requested_by_agent, user_id, decided_at, session_id";

  private final Db db;
  private final Clock clock;

  PgDeviceGrantStore(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Future<Void> insert(DeviceGrant g, byte[] deviceCodeHash) {
    return db.sql().preparedQuery("INSERT INTO auth.device_grants (device_code_hash, " + COLUMNS + ")"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
        .execute(Tuple.from(new Object[] {Buffer.buffer(deviceCodeHash), g.id(), g.userCode(), g.clientId(), g.scope(),
            g.state().name().toLowerCase(Locale.ROOT), g.intervalSeconds(), Sql.ts(g.createdAt()), Sql.ts(g.expiresAt()),
            Sql.ts(g.lastPolledAt()), g.requestedFrom(), g.requestedByAgent(), g.userId(), Sql.ts(g.decidedAt()),
            g.sessionId()}))
        .mapEmpty();
  }

  @Override
  public Future<Optional<DeviceGrant>> byDeviceCode(byte[] deviceCodeHash) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.device_grants WHERE device_code_hash = $1")
        .execute(Tuple.of(Buffer.buffer(deviceCodeHash))).map(PgDeviceGrantStore::first);
  }

  @Override
  public Future<Optional<DeviceGrant>> pendingByUserCode(String userCode) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.device_grants WHERE user_code = $1 AND state = 'pending'"
            + " AND expires_at > $2")
        .execute(Tuple.of(userCode, Sql.ts(clock.instant()))).map(PgDeviceGrantStore::first);
  }

  @Override
  public Future<Optional<DeviceGrant>> byId(UUID id) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.device_grants WHERE id = $1").execute(Tuple.of(id))
        .map(PgDeviceGrantStore::first);
  }

  @Override
  public Future<Optional<DeviceGrant>> lock(UUID id) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.device_grants WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id)).map(PgDeviceGrantStore::first);
  }

  @Override
  public Future<Void> update(DeviceGrant g) {
    return db.sql().preparedQuery("UPDATE auth.device_grants SET state = $2, interval_seconds = $3, last_polled_at = $4,"
            + " user_id = $5, decided_at = $6, session_id = $7 WHERE id = $1")
        .execute(Tuple.from(new Object[] {g.id(), g.state().name().toLowerCase(Locale.ROOT), g.intervalSeconds(),
            Sql.ts(g.lastPolledAt()), g.userId(), Sql.ts(g.decidedAt()), g.sessionId()}))
        .mapEmpty();
  }

  private static Optional<DeviceGrant> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new DeviceGrant(r.getUUID("id"), r.getString("user_code"), r.getString("client_id"),
        r.getString("scope"), DeviceGrant.State.valueOf(r.getString("state").toUpperCase(Locale.ROOT)),
        r.getInteger("interval_seconds"), Sql.instant(r, "created_at"), Sql.instant(r, "expires_at"),
        Sql.instant(r, "last_polled_at"), r.getString("requested_from"), r.getString("requested_by_agent"),
        r.getUUID("user_id"), Sql.instant(r, "decided_at"), r.getUUID("session_id")));
  }
}
