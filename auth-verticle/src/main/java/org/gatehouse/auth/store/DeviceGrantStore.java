package org.gatehouse.auth.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.DeviceGrant;

/** Device authorization grants. Methods taking a {@link SqlClient} join the caller's transaction. */
public interface DeviceGrantStore {
  Future<Void> insert(DeviceGrant grant, byte[] deviceCodeHash);

  Future<Optional<DeviceGrant>> byDeviceCode(byte[] deviceCodeHash);

  /** A grant still awaiting the user, by its (normalised) user code. */
  Future<Optional<DeviceGrant>> pendingByUserCode(String userCode);

  Future<Optional<DeviceGrant>> byId(UUID id);

  /** Locks the grant for a transition. */
  Future<Optional<DeviceGrant>> lock(SqlClient sql, UUID id);

  Future<Void> update(SqlClient sql, DeviceGrant grant);
}
