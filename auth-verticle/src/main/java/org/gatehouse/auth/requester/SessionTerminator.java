package org.gatehouse.auth.requester;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.SessionEnd;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.auth.store.Transaction;
import org.gatehouse.common.bus.ClusterBroadcast;

/**
 * Ends sessions and makes it true everywhere: the database change commits first, then every node forgets the
 * ended tokens (acknowledged broadcast), then the homeserver deletes the devices that went with them (its token
 * cache would otherwise keep them alive for minutes), and only then does the caller answer. Deleted devices are
 * announced.
 *
 * <p>Ending a session, in the database, is one transaction over four stores: the session is marked finished, its
 * access and refresh tokens revoked, and its device deleted when no other open session uses it.
 */
public final class SessionTerminator {
  private final Stores stores;
  private final ClusterBroadcast broadcast;
  private final EventBus bus;
  private final UserIds userIds;
  private final Homeserver homeserver;
  private final Clock clock;

  public SessionTerminator(Stores stores, ClusterBroadcast broadcast, EventBus bus, UserIds userIds,
                           Homeserver homeserver, Clock clock) {
    this.stores = stores;
    this.broadcast = broadcast;
    this.bus = bus;
    this.userIds = userIds;
    this.homeserver = homeserver;
    this.clock = clock;
  }

  /** Ends one session (and its device when no other session uses it). */
  public Future<Void> endSession(UUID sessionId, String reason, String by) {
    return stores.inTransaction(tx -> finish(tx, sessionId, reason))
        .compose(end -> announce(end.map(List::of).orElse(List.of()), by));
  }

  /** Deletes a device and ends every session on it. Completes with whether the device existed. */
  public Future<Boolean> deleteDevice(UUID userId, String localpart, String deviceId, String by) {
    // The device row goes first, so ending its sessions finds no device left to delete and announce twice.
    return stores.inTransaction(tx -> tx.devices().delete(userId, deviceId)
            .compose(existed -> tx.sessions().openOfDevice(userId, deviceId)
                .compose(open -> finishAll(tx, open, "device deleted"))
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
            .compose(deleted -> tx.sessions().openOfUser(userId)
                .compose(open -> finishAll(tx, open, reason))
                .map(ended -> new AccountEnd(ended, deleted))))
        .compose(end -> announce(end.ended(), by)
            .compose(done -> homeserver.deleteDevices(localpart, end.devices()))
            .onSuccess(done -> end.devices().forEach(device -> publishDeviceDeleted(localpart, device, by))));
  }

  /** Ends a session in {@code tx}: finished, its tokens revoked, its device deleted if no other session uses it. */
  private Future<Optional<SessionEnd>> finish(Transaction tx, UUID sessionId, String reason) {
    Instant now = clock.instant();
    return tx.sessions().finish(sessionId, reason, now).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      UUID userId = found.get().userId();
      String deviceId = found.get().deviceId();
      return tx.accessTokens().revokeAllOfSession(sessionId, now)
          .compose(hashes -> tx.refreshTokens().revokeAllOfSession(sessionId, now).map(hashes))
          .compose(hashes -> tx.devices().deleteIfUnused(userId, deviceId)
              .map(deleted -> Optional.of(new SessionEnd(sessionId, userId, found.get().localpart(), deviceId, deleted,
                  hashes))));
    });
  }

  /** Ends the sessions one after the other (each sees the previous one's device deletion). */
  private Future<List<SessionEnd>> finishAll(Transaction tx, List<UUID> sessions, String reason) {
    List<SessionEnd> ended = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (UUID id : sessions) {
      chain = chain.compose(done -> finish(tx, id, reason).map(end -> {
        end.ifPresent(ended::add);
        return null;
      }));
    }
    return chain.map(ended);
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
