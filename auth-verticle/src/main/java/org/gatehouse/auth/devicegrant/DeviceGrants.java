package org.gatehouse.auth.devicegrant;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.DeviceGrant;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserCodes;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.MatrixError;

/**
 * Starting, deciding and reading device authorization grants. A decision is a locked read-transition-write, then
 * a cluster-wide wake-up for the polls waiting on it. Approving creates the device right away, so the approving
 * client can see it in {@code GET /devices/{id}} before the new device even collects its tokens; with a
 * homeserver kept in step, the device is registered there first (the approving client asks the homeserver), and a
 * homeserver that is away leaves the grant pending, undecided. A decision's expected ends, that one included, come
 * back as {@link LinkOutcome} values, and a code or grant that is not there as an empty {@code Optional}: a failed
 * future is a fault.
 */
public final class DeviceGrants {
  /** When to try approving again if the homeserver was away and gave no hint. */
  static final Duration HOMESERVER_RETRY = Duration.ofSeconds(5);

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

  /** The grant still awaiting the user under {@code userCode} (normalised); empty for a wrong or spent code. */
  public Future<Optional<DeviceGrant>> pendingByUserCode(String userCode) {
    return stores.deviceGrants().pendingByUserCode(userCode);
  }

  /** The grant {@code id} if it still waits for the user's decision now; empty once decided, expired or unknown. */
  public Future<Optional<DeviceGrant>> awaitingDecision(UUID id) {
    Instant now = clock.instant();
    return stores.deviceGrants().byId(id).map(found -> found.filter(grant -> grant.awaitingUser(now)));
  }

  /** Approves for {@code user} and creates the grant's device for them. */
  public Future<LinkOutcome> approve(UUID grantId, User user) {
    Instant now = clock.instant();
    return stores.deviceGrants().byId(grantId).compose(found -> {
          if (!awaitingUser(found, now)) {
            return Future.succeededFuture(LinkOutcome.GONE);
          }
          return registerDevice(found.get(), user).transform(registered -> registered.succeeded()
              ? recordApproval(grantId, user, registered.result(), now)
              : homeserverAway(registered.cause()));
        })
        .onSuccess(outcome -> announceIfDecided(grantId, outcome));
  }

  /** Locks the grant, approves it and creates its device, unless it was decided or expired meanwhile. */
  private Future<LinkOutcome> recordApproval(UUID grantId, User user, String deviceName, Instant now) {
    return stores.inTransaction(tx -> tx.deviceGrants().lock(grantId).compose(found -> {
      if (!awaitingUser(found, now)) {
        return Future.succeededFuture(LinkOutcome.GONE);
      }
      DeviceGrant grant = found.get();
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
            return new LinkOutcome.Approved(approved);
          });
    }));
  }

  /** The device's name (its client's), after registering the device at the homeserver. */
  private Future<String> registerDevice(DeviceGrant grant, User user) {
    String deviceId = Scope.parse(grant.scope()).deviceId();
    return stores.clients().byId(grant.clientId()).map(client -> client.map(Client::deviceName).orElse(grant.clientId()))
        .compose(name -> deviceId == null ? Future.succeededFuture(name)
            : homeserver.upsertDevice(user.localpart(), deviceId, name).map(name));
  }

  /**
   * A homeserver that is away (the {@link org.gatehouse.common.homeserver.Homeserver} contract's 503) leaves the grant
   * undecided; any other failure, a refusal included, stays a failure.
   */
  private static Future<LinkOutcome> homeserverAway(Throwable failure) {
    if (failure instanceof MatrixError away && away.status() == 503) {
      return Future.succeededFuture(new LinkOutcome.HomeserverAway(away.retryAfter().orElse(HOMESERVER_RETRY)));
    }
    return Future.failedFuture(failure);
  }

  public Future<LinkOutcome> deny(UUID grantId, User user) {
    Instant now = clock.instant();
    return stores.inTransaction(tx -> tx.deviceGrants().lock(grantId).compose(found -> {
          if (!awaitingUser(found, now)) {
            return Future.<LinkOutcome>succeededFuture(LinkOutcome.GONE);
          }
          DeviceGrant denied = found.get().deny(user.id(), now);
          return tx.deviceGrants().update(denied).<LinkOutcome>map(done -> new LinkOutcome.Denied(denied));
        }))
        .onSuccess(outcome -> announceIfDecided(grantId, outcome));
  }

  /** Wakes the polls waiting on a grant that was just decided, on every node. */
  private void announceIfDecided(UUID grantId, LinkOutcome outcome) {
    if (outcome instanceof LinkOutcome.Approved || outcome instanceof LinkOutcome.Denied) {
      wakeUps.announce(grantId);
    }
  }

  private static boolean awaitingUser(Optional<DeviceGrant> grant, Instant now) {
    return grant.isPresent() && grant.get().awaitingUser(now);
  }
}
