package org.gatehouse.auth.requester;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gatehouse.auth.domain.SessionEnd;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.common.bus.ClusterBroadcast;

/**
 * Ends sessions and makes it true everywhere: the database change commits first, then every node forgets the
 * ended tokens (acknowledged broadcast), then the homeserver deletes the devices that went with them (its token
 * cache would otherwise keep them alive for minutes), and only then does the caller answer. Deleted devices are
 * announced.
 */
public final class SessionTerminator {
  private final Stores stores;
  private final ClusterBroadcast broadcast;
  private final EventBus bus;
  private final UserIds userIds;
  private final Homeserver homeserver;

  public SessionTerminator(Stores stores, ClusterBroadcast broadcast, EventBus bus, UserIds userIds,
                           Homeserver homeserver) {
    this.stores = stores;
    this.broadcast = broadcast;
    this.bus = bus;
    this.userIds = userIds;
    this.homeserver = homeserver;
  }

  /** Ends one session (and its device when no other session uses it). */
  public Future<Void> endSession(UUID sessionId, String reason, String by) {
    return stores.inTransaction(tx -> tx.sessions().finishSession(sessionId, reason))
        .compose(end -> announce(end.map(List::of).orElse(List.of()), by));
  }

  /** Deletes a device and ends every session on it. Completes with whether the device existed. */
  public Future<Boolean> deleteDevice(UUID userId, String localpart, String deviceId, String by) {
    // The device row goes first, so ending its sessions finds no device left to delete and announce twice.
    return stores.inTransaction(tx -> tx.devices().delete(userId, deviceId)
            .compose(existed -> tx.sessions().finishSessionsOfDevice(userId, deviceId, "device deleted")
                .map(ended -> new DeviceDeletion(ended, existed))))
        .compose(deletion -> announce(deletion.ended(), by)
            .compose(done -> deletion.existed() ? homeserver.deleteDevices(localpart, List.of(deviceId))
                : Future.succeededFuture())
            .map(done -> {
              if (deletion.existed()) {
                publishDeviceDeleted(localpart, deviceId, by);
              }
              return deletion.existed();
            }));
  }

  /** Ends every session of an account and deletes all its devices (deactivation). */
  public Future<Void> endAllOf(UUID userId, String localpart, String reason, String by) {
    return stores.inTransaction(tx -> tx.devices().deleteAll(userId)
            .compose(deleted -> tx.sessions().finishSessionsOfUser(userId, reason)
                .map(ended -> new AccountEnd(ended, deleted))))
        .compose(end -> announce(end.ended(), by)
            .compose(done -> homeserver.deleteDevices(localpart, end.devices()))
            .onSuccess(done -> end.devices().forEach(device -> publishDeviceDeleted(localpart, device, by))));
  }

  private record AccountEnd(List<SessionEnd> ended, List<String> devices) {
  }

  /**
   * Makes every node forget the ended sessions' tokens, has the homeserver delete the devices that ended with them,
   * then announces those deleted devices.
   */
  public Future<Void> announce(List<SessionEnd> ended, String by) {
    if (ended.isEmpty()) {
      return Future.succeededFuture();
    }
    AuthFacts.SessionEnded fact = new AuthFacts.SessionEnded(ended.stream()
        .map(end -> new AuthFacts.EndedSession(end.sessionId().toString(), userIds.of(end.localpart()), end.deviceId(),
            end.accessTokenHashes()))
        .toList());
    List<SessionEnd> withDevice = ended.stream().filter(SessionEnd::deviceDeleted).toList();
    return broadcast.publish(AuthFacts.SessionEnded.ADDRESS, fact.toJson())
        .compose(done -> deleteAtHomeserver(withDevice))
        .onSuccess(done -> withDevice.forEach(end -> publishDeviceDeleted(end.localpart(), end.deviceId(), by)));
  }

  private Future<Void> deleteAtHomeserver(List<SessionEnd> withDevice) {
    Map<String, List<String>> byAccount = new LinkedHashMap<>();
    withDevice.forEach(end -> byAccount.computeIfAbsent(end.localpart(), k -> new ArrayList<>()).add(end.deviceId()));
    List<Future<Void>> deletions = new ArrayList<>();
    byAccount.forEach((localpart, deviceIds) -> deletions.add(homeserver.deleteDevices(localpart, deviceIds)));
    return Future.all(deletions).mapEmpty();
  }

  /**
   * Makes every node forget access tokens revoked without ending their session (the one a refresh replaced);
   * completes once all have acknowledged.
   */
  public Future<Void> forgetAccessTokens(List<String> tokenHashes) {
    if (tokenHashes.isEmpty()) {
      return Future.succeededFuture();
    }
    return broadcast.publish(AuthFacts.AccessTokensRevoked.ADDRESS,
        new AuthFacts.AccessTokensRevoked(tokenHashes).toJson()).mapEmpty();
  }

  private void publishDeviceDeleted(String localpart, String deviceId, String by) {
    bus.publish(AuthFacts.DeviceDeleted.ADDRESS, new AuthFacts.DeviceDeleted(userIds.of(localpart), deviceId, by)
        .toJson());
  }

  private record DeviceDeletion(List<SessionEnd> ended, boolean existed) {
  }
}
