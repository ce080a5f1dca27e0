package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.DeviceGrant;

/** Device authorization grants. */
public interface DeviceGrantStore {
  Future<Void> insert(DeviceGrant grant, byte[] deviceCodeHash);

  Future<Optional<DeviceGrant>> byDeviceCode(byte[] deviceCodeHash);

  /** A grant still awaiting the user, by its (normalised) user code. */
  Future<Optional<DeviceGrant>> pendingByUserCode(String userCode);

  Future<Optional<DeviceGrant>> byId(UUID id);

  /** Locks the grant for a transition, until the end of the {@link Transaction} this is called in. */
  Future<Optional<DeviceGrant>> lock(UUID id);

  Future<Void> update(DeviceGrant grant);
}
