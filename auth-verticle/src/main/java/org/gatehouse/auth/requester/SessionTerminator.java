package org.gatehouse.auth.requester;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;
import org.gatehouse.auth.domain.SessionEnd;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.facts.AuthFacts;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.common.bus.ClusterBroadcast;

/**
 * Ends sessions and makes it true everywhere: the database change commits first, then every node forgets the
 * ended tokens (acknowledged broadcast) and only then does the caller answer. Deleted devices are announced.
 */
public final class SessionTerminator {
  private final Pool pool;
  private final SessionStore sessions;
  private final DeviceStore devices;
  private final ClusterBroadcast broadcast;
  private final EventBus bus;
  private final UserIds userIds;

  public SessionTerminator(Pool pool, SessionStore sessions, DeviceStore devices, ClusterBroadcast broadcast,
                           EventBus bus, UserIds userIds) {
    this.pool = pool;
    this.sessions = sessions;
    this.devices = devices;
    this.broadcast = broadcast;
    this.bus = bus;
    this.userIds = userIds;
  }

  /** Ends one session (and its device when no other session uses it). */
  public Future<Void> endSession(UUID sessionId, String reason, String by) {
    return pool.withTransaction(sql -> sessions.finishSession(sql, sessionId, reason))
        .compose(end -> announce(end.map(List::of).orElse(List.of()), by));
  }

  /** Deletes a device and ends every session on it. Completes with whether the device existed. */
  public Future<Boolean> deleteDevice(UUID userId, String localpart, String deviceId, String by) {
    // The device row goes first, so ending its sessions finds no device left to delete and announce twice.
    return pool.withTransaction(sql -> devices.delete(sql, userId, deviceId)
            .compose(existed -> sessions.finishSessionsOfDevice(sql, userId, deviceId, "device deleted")
                .map(ended -> new DeviceDeletion(ended, existed))))
        .compose(deletion -> announce(deletion.ended(), by).map(done -> {
          if (deletion.existed()) {
            publishDeviceDeleted(localpart, deviceId, by);
          }
          return deletion.existed();
        }));
  }

  /** Ends every session of an account and deletes all its devices (deactivation). */
  public Future<Void> endAllOf(UUID userId, String localpart, String reason, String by) {
    return pool.withTransaction(sql -> devices.deleteAll(sql, userId)
            .compose(deleted -> sessions.finishSessionsOfUser(sql, userId, reason)
                .map(ended -> new AccountEnd(ended, deleted))))
        .compose(end -> announce(end.ended(), by).onSuccess(done ->
            end.devices().forEach(device -> publishDeviceDeleted(localpart, device, by))));
  }

  private record AccountEnd(List<SessionEnd> ended, List<String> devices) {
  }

  /** Makes every node forget the ended sessions' tokens, then announces deleted devices. */
  public Future<Void> announce(List<SessionEnd> ended, String by) {
    if (ended.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray list = new JsonArray();
    for (SessionEnd end : ended) {
      list.add(new JsonObject()
          .put("session_id", end.sessionId().toString())
          .put("user_id", userIds.of(end.localpart()))
          .put("device_id", end.deviceId())
          .put("token_hashes", new JsonArray(end.accessTokenHashes())));
    }
    return broadcast.publish(AuthFacts.SESSION_ENDED, new JsonObject().put("sessions", list))
        .onSuccess(done -> ended.stream().filter(SessionEnd::deviceDeleted)
            .forEach(end -> publishDeviceDeleted(end.localpart(), end.deviceId(), by)));
  }

  /**
   * Makes every node forget access tokens revoked without ending their session (the one a refresh replaced);
   * completes once all have acknowledged.
   */
  public Future<Void> forgetAccessTokens(List<String> tokenHashes) {
    if (tokenHashes.isEmpty()) {
      return Future.succeededFuture();
    }
    return broadcast.publish(AuthFacts.ACCESS_TOKENS_REVOKED,
        new JsonObject().put("token_hashes", new JsonArray(tokenHashes))).mapEmpty();
  }

  private void publishDeviceDeleted(String localpart, String deviceId, String by) {
    bus.publish(AuthFacts.DEVICE_DELETED, new JsonObject().put("user_id", userIds.of(localpart))
        .put("device_id", deviceId).put("by", by));
  }

  private record DeviceDeletion(List<SessionEnd> ended, boolean existed) {
  }
}
