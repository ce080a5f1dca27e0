package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.Device;
import org.gatehouse.auth.store.DeviceStore;

public final class PgDeviceStore implements DeviceStore {
  private static final String COLUMNS = "device_id, display_name, created_at, created_by, last_seen_at, last_seen_ip";

  private final Db db;
  private final Clock clock;

  PgDeviceStore(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Future<List<Device>> list(UUID userId) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.devices WHERE user_id = $1 ORDER BY created_at, device_id")
        .execute(Tuple.of(userId))
        .map(rows -> {
          List<Device> devices = new ArrayList<>();
          rows.forEach(row -> devices.add(device(row)));
          return devices;
        });
  }

  @Override
  public Future<Optional<Device>> get(UUID userId, String deviceId) {
    return db.sql().preparedQuery("SELECT " + COLUMNS + " FROM auth.devices WHERE user_id = $1 AND device_id = $2")
        .execute(Tuple.of(userId, deviceId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(device(rows.iterator().next())));
  }

  @Override
  public Future<Boolean> ensure(UUID userId, String deviceId, String createdBy, String displayName) {
    return db.sql().preparedQuery("INSERT INTO auth.devices (user_id, device_id, display_name, created_at, created_by)"
            + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, device_id) DO NOTHING")
        .execute(Tuple.of(userId, deviceId, displayName, Sql.ts(clock.instant()), createdBy))
        .map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Boolean> rename(UUID userId, String deviceId, String displayName) {
    return db.sql().preparedQuery("UPDATE auth.devices SET display_name = $3 WHERE user_id = $1 AND device_id = $2")
        .execute(Tuple.of(userId, deviceId, displayName)).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Boolean> delete(UUID userId, String deviceId) {
    return db.sql().preparedQuery("DELETE FROM auth.devices WHERE user_id = $1 AND device_id = $2")
        .execute(Tuple.of(userId, deviceId)).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Boolean> deleteIfUnused(UUID userId, String deviceId) {
    if (deviceId == null) {
      return Future.succeededFuture(false);
    }
    return db.sql().preparedQuery("""
            DELETE FROM auth.devices d WHERE d.user_id = $1 AND d.device_id = $2
              AND NOT EXISTS (SELECT 1 FROM auth.sessions s
                              WHERE s.user_id = $1 AND s.device_id = $2 AND s.finished_at IS NULL)""")
        .execute(Tuple.of(userId, deviceId)).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<List<String>> deleteAll(UUID userId) {
    return db.sql().preparedQuery("DELETE FROM auth.devices WHERE user_id = $1 RETURNING device_id").execute(Tuple.of(userId))
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getString("device_id")));
          return ids;
        });
  }

  @Override
  public Future<Void> touch(UUID userId, String deviceId, String address, Instant at) {
    return db.sql().preparedQuery("UPDATE auth.devices SET last_seen_at = $3, last_seen_ip = $4"
            + " WHERE user_id = $1 AND device_id = $2")
        .execute(Tuple.of(userId, deviceId, Sql.ts(at), address)).mapEmpty();
  }

  static Device device(Row row) {
    return new Device(row.getString("device_id"), row.getString("display_name"), Sql.instant(row, "created_at"),
        row.getString("created_by"), Sql.instant(row, "last_seen_at"), row.getString("last_seen_ip"));
  }
}
