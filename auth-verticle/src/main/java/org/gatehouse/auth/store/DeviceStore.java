package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.Device;

/** Matrix devices. */
public interface DeviceStore {
  Future<List<Device>> list(UUID userId);

  Future<Optional<Device>> get(UUID userId, String deviceId);

  /** Creates the device if missing; completes with true if it was created. */
  Future<Boolean> ensure(UUID userId, String deviceId, String createdBy, String displayName);

  /** Sets the display name of an existing device; completes with false if there is no such device. */
  Future<Boolean> rename(UUID userId, String deviceId, String displayName);

  /** Deletes the device; completes with true if it existed. */
  Future<Boolean> delete(UUID userId, String deviceId);

  /**
   * Deletes the device if no open session uses it any more; completes with true if it was deleted (false, with no
   * statement, for a null device ID).
   */
  Future<Boolean> deleteIfUnused(UUID userId, String deviceId);

  /** Deletes every device of the user; completes with the deleted device IDs. */
  Future<List<String>> deleteAll(UUID userId);

  /** Records that the device was seen (throttled by the caller). */
  Future<Void> touch(UUID userId, String deviceId, String address, Instant at);
}
