package org.gatehouse.auth.devicegrant;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.DeviceGrant;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserCodes;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.MatrixError;

/**
 * Starting, deciding and reading device authorization grants. A decision is a locked read-transition-write, then
 * a cluster-wide wake-up for the polls waiting on it. Approving creates the device right away, so the approving
 * client can see it in {@code GET /devices/{id}} before the new device even collects its tokens; with a
 * homeserver kept in step, the device is registered there first (the approving client asks the homeserver), and a
 * homeserver that is away leaves the grant pending, undecided.
 */
public final class DeviceGrants {
  /** A new grant with the codes to hand out (the device code exists only here). */
  public record Started(DeviceGrant grant, String deviceCode) {
  }

  private final Stores stores;
  private final GrantWakeUps wakeUps;
  private final EventBus bus;
  private final UserIds userIds;
  private final Duration lifetime;
  private final int intervalSeconds;
  private final Clock clock;
  private final Homeserver homeserver;

  public DeviceGrants(Stores stores, GrantWakeUps wakeUps, EventBus bus, UserIds userIds, Duration lifetime,
                      int intervalSeconds, Clock clock, Homeserver homeserver) {
    this.stores = stores;
    this.wakeUps = wakeUps;
    this.bus = bus;
    this.userIds = userIds;
    this.lifetime = lifetime;
    this.intervalSeconds = intervalSeconds;
    this.clock = clock;
    this.homeserver = homeserver;
  }

  public Duration lifetime() {
    return lifetime;
  }

  public int intervalSeconds() {
    return intervalSeconds;
  }

  public Future<Started> start(String clientId, Scope scope, String from, String agent) {
    Instant now = clock.instant();
    String deviceCode = Digests.randomAlphanumeric(40);
    DeviceGrant grant = new DeviceGrant(UUID.randomUUID(), UserCodes.generate(), clientId, scope.text(),
        DeviceGrant.State.PENDING, intervalSeconds, now, now.plus(lifetime), null, from,
        agent == null ? null : agent.substring(0, Math.min(200, agent.length())), null, null, null);
    // A user code clash with another pending grant is astronomically rare; the unique index refuses it and the
    // client simply asks again.
    return stores.deviceGrants().insert(grant, Digests.sha256(deviceCode)).map(done -> new Started(grant, deviceCode));
  }

  public Future<DeviceGrant> pendingByUserCode(String userCode) {
    return stores.deviceGrants().pendingByUserCode(userCode).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
        : Future.failedFuture(MatrixError.notFound("Unknown or expired code")));
  }

  public Future<DeviceGrant> byId(UUID id) {
    return stores.deviceGrants().byId(id).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
        : Future.failedFuture(MatrixError.notFound("Unknown grant")));
  }

  /** Approves for {@code user} and creates the grant's device for them. */
  public Future<DeviceGrant> approve(UUID grantId, User user) {
    Instant now = clock.instant();
    return stores.deviceGrants().byId(grantId).compose(found -> registerDevice(decidable(found.orElse(null), now), user))
        .compose(deviceName -> stores.inTransaction(tx -> tx.deviceGrants().lock(grantId).compose(found -> {
          DeviceGrant grant = decidable(found.orElse(null), now);
          DeviceGrant approved = grant.approve(user.id(), now);
          String deviceId = Scope.parse(grant.scope()).deviceId();
          return tx.deviceGrants().update(approved)
              .compose(done -> deviceId == null ? Future.succeededFuture(false)
                  : tx.devices().ensure(user.id(), deviceId, grant.clientId(), deviceName))
              .map(created -> {
                if (created) {
                  bus.publish(AuthFacts.DeviceCreated.ADDRESS, new AuthFacts.DeviceCreated(userIds.of(user.localpart()),
                      deviceId, deviceName, grant.clientId()).toJson());
                }
                return approved;
              });
        })))
        .onSuccess(approved -> wakeUps.announce(grantId));
  }

  /** The device's name (its client's), after registering the device at the homeserver. */
  private Future<String> registerDevice(DeviceGrant grant, User user) {
    String deviceId = Scope.parse(grant.scope()).deviceId();
    return stores.clients().byId(grant.clientId()).map(client -> client.map(Client::deviceName).orElse(grant.clientId()))
        .compose(name -> deviceId == null ? Future.succeededFuture(name)
            : homeserver.upsertDevice(user.localpart(), deviceId, name).map(name));
  }

  public Future<DeviceGrant> deny(UUID grantId, User user) {
    Instant now = clock.instant();
    return stores.inTransaction(tx -> tx.deviceGrants().lock(grantId).compose(found -> {
          DeviceGrant denied = decidable(found.orElse(null), now).deny(user.id(), now);
          return tx.deviceGrants().update(denied).map(denied);
        }))
        .onSuccess(denied -> wakeUps.announce(grantId));
  }

  private static DeviceGrant decidable(DeviceGrant grant, Instant now) {
    if (grant == null || !grant.awaitingUser(now)) {
      throw MatrixError.notFound("This code is no longer waiting for approval");
    }
    return grant;
  }
}
