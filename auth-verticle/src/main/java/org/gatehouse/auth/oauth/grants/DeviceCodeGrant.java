package org.gatehouse.auth.oauth.grants;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.DeviceGrant;
import org.gatehouse.auth.devicegrant.GrantWakeUps;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.oauth.HomeserverFailures;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.auth.store.TokenPairs;
import org.gatehouse.common.homeserver.Homeserver;

/**
 * The device code grant (RFC 8628 §3.4): the new device polls until the user approved (tokens), denied
 * ({@code access_denied}) or let it expire ({@code expired_token}; an approved code not collected in time expires
 * too). A poll of a pending grant is held open for up to the polling interval and answered the moment a decision
 * is made on any node; polling again sooner than the interval after an answer is {@code slow_down}.
 *
 * <p>A poll records its time under the grant's lock <em>before</em> it is held, so of concurrent polls of one grant
 * one is held and the others are answered {@code slow_down} at once. The interval stops growing at
 * {@link DeviceGrant#MAX_INTERVAL_SECONDS}, and a node holds at most so many polls ({@link GrantWakeUps}); past
 * that a poll is answered {@code authorization_pending} at once.
 *
 * <p>The exchange checks the account again: deactivated since the approval is {@code invalid_grant} (the grant is
 * revoked with every other grant of the account, as the refresh grant answers), locked is {@code access_denied}
 * (the server refuses the authorization; the device stops polling). Neither creates a session.
 */
public final class DeviceCodeGrant implements GrantHandler {
  private final Stores stores;
  private final GrantWakeUps wakeUps;
  private final Duration accessLifetime;
  private final Clock clock;
  private final Homeserver homeserver;
  private final AccountStatusView statuses;
  private final UserIds userIds;

  public DeviceCodeGrant(Stores stores, GrantWakeUps wakeUps, Duration accessLifetime, Clock clock,
                         Homeserver homeserver, AccountStatusView statuses, UserIds userIds) {
    this.stores = stores;
    this.wakeUps = wakeUps;
    this.accessLifetime = accessLifetime;
    this.clock = clock;
    this.homeserver = homeserver;
    this.statuses = statuses;
    this.userIds = userIds;
  }

  @Override
  public String grantType() {
    return GrantTypes.DEVICE_CODE;
  }

  /** A poll's outcome, decided and (for pending and slow_down) recorded under the grant's lock. */
  private record Polled(DeviceGrant grant, DeviceGrant.PollOutcome outcome) {
  }

  @Override
  public Future<JsonObject> exchange(RoutingContext ctx, FormParams form, Client client) {
    byte[] codeHash = Digests.sha256(form.required("device_code"));
    return stores.deviceGrants().byDeviceCode(codeHash).compose(found -> {
      DeviceGrant grant = found.orElse(null);
      if (grant == null || !grant.clientId().equals(client.clientId())) {
        return Future.failedFuture(OAuthError.invalidGrant("unknown device code"));
      }
      DeviceGrant.PollOutcome seen = grant.poll(clock.instant());
      if (seen != DeviceGrant.PollOutcome.PENDING && seen != DeviceGrant.PollOutcome.SLOW_DOWN) {
        return answer(grant, seen, client);
      }
      return claim(grant).compose(polled -> polled.outcome() == DeviceGrant.PollOutcome.PENDING
          ? hold(polled.grant(), client) : answer(polled.grant(), polled.outcome(), client));
    });
  }

  /** Decides the poll on the locked grant and records it, so that a concurrent poll sees this one. */
  private Future<Polled> claim(DeviceGrant grant) {
    return stores.inTransaction(tx -> tx.deviceGrants().lock(grant.id()).compose(locked -> {
      DeviceGrant current = locked.orElseThrow();
      Instant now = clock.instant();
      DeviceGrant.PollOutcome outcome = current.poll(now);
      if (outcome != DeviceGrant.PollOutcome.PENDING && outcome != DeviceGrant.PollOutcome.SLOW_DOWN) {
        return Future.succeededFuture(new Polled(current, outcome));
      }
      DeviceGrant recorded = current.polled(now, outcome);
      return tx.deviceGrants().update(recorded).map(done -> new Polled(recorded, outcome));
    }));
  }

  private Future<JsonObject> hold(DeviceGrant grant, Client client) {
    // Wait (registered before re-reading, so a decision in between is not missed), then look again.
    Instant until = grant.expiresAt().isBefore(clock.instant().plusSeconds(grant.intervalSeconds()))
        ? grant.expiresAt() : clock.instant().plusSeconds(grant.intervalSeconds());
    Optional<Future<Void>> woken = wakeUps.waitFor(grant.id(), Duration.between(clock.instant(), until));
    if (woken.isEmpty()) {
      // This node holds as many polls as it may: answer at once (the poll is recorded, so the interval holds).
      return pending();
    }
    return stores.deviceGrants().byId(grant.id())
        .compose(reread -> reread.orElseThrow().state() == DeviceGrant.State.PENDING ? woken.get().map(v -> null)
            : Future.succeededFuture())
        .compose(v -> stores.deviceGrants().byId(grant.id()))
        .compose(latest -> {
          DeviceGrant now = latest.orElseThrow();
          DeviceGrant.PollOutcome after = now.state() == DeviceGrant.State.PENDING
              ? (now.expiredAt(clock.instant()) ? DeviceGrant.PollOutcome.EXPIRED : DeviceGrant.PollOutcome.PENDING)
              : now.poll(clock.instant());
          return after == DeviceGrant.PollOutcome.PENDING
              // The interval counts from the answer: record it again now that the hold is over.
              ? recordPoll(now).compose(done -> pending()) : answer(now, after, client);
        });
  }

  private Future<JsonObject> answer(DeviceGrant grant, DeviceGrant.PollOutcome outcome, Client client) {
    return switch (outcome) {
      case APPROVED -> issue(grant, client);
      case DENIED -> Future.failedFuture(new OAuthError(400, "access_denied", "the user denied the request"));
      case EXPIRED -> Future.failedFuture(new OAuthError(400, "expired_token", "the device code has expired"));
      case ALREADY_EXCHANGED -> Future.failedFuture(OAuthError.invalidGrant("the device code was already used"));
      case SLOW_DOWN -> Future.failedFuture(
          new OAuthError(400, "slow_down", "polling too fast; wait the interval between requests"));
      case PENDING -> pending();
    };
  }

  private static Future<JsonObject> pending() {
    return Future.failedFuture(new OAuthError(400, "authorization_pending", "the user has not decided yet"));
  }

  private Future<Void> recordPoll(DeviceGrant grant) {
    return stores.inTransaction(tx -> tx.deviceGrants().lock(grant.id())
        .compose(locked -> tx.deviceGrants().update(locked.orElseThrow().polled(clock.instant(),
            DeviceGrant.PollOutcome.PENDING))));
  }

  /**
   * The tokens, once the device is (again: approval registered it already) at the homeserver, as the reference auth
   * service does at exchange; a homeserver that is away leaves the grant approved for the next poll. The account
   * is checked first: nothing is registered or created for one deactivated or locked since the approval.
   */
  private Future<JsonObject> issue(DeviceGrant grant, Client client) {
    Instant now = clock.instant();
    String deviceId = Scope.parse(grant.scope()).deviceId();
    Future<Void> registered = stores.users().byId(grant.userId()).compose(found -> {
      User user = found.orElse(null);
      if (user == null || user.deactivated()) {
        return Future.failedFuture(OAuthError.invalidGrant("the account that approved this device code is deactivated"));
      }
      if (statuses.of(userIds.of(user.localpart())).locked()) {
        return Future.failedFuture(new OAuthError(400, "access_denied", "the account that approved this device code "
            + "is locked"));
      }
      return !homeserver.connected() || deviceId == null ? Future.succeededFuture()
          : homeserver.upsertDevice(user.localpart(), deviceId, client.deviceName())
              .recover(failure -> Future.failedFuture(HomeserverFailures.toOAuth(failure)));
    });
    return registered.compose(ok -> stores.inTransaction(tx -> tx.deviceGrants().lock(grant.id()).compose(locked -> {
      DeviceGrant current = locked.orElseThrow();
      DeviceGrant.PollOutcome outcome = current.poll(clock.instant());
      if (outcome == DeviceGrant.PollOutcome.EXPIRED) {
        return Future.failedFuture(new OAuthError(400, "expired_token", "the device code has expired"));
      }
      if (outcome != DeviceGrant.PollOutcome.APPROVED) {
        // Another poll collected the tokens in the meantime.
        return Future.failedFuture(OAuthError.invalidGrant("the device code was already used"));
      }
      Scope scope = Scope.parse(current.scope());
      return tx.sessions().create(current.userId(), scope.deviceId(), client.clientId(), scope.text())
          .compose(sessionId -> TokenPairs.issue(tx, sessionId, accessLifetime, clock)
              .compose(tokens -> tx.deviceGrants().update(current.exchanged(sessionId))
                  .map(done -> response(tokens, scope, now))));
    })));
  }

  private static JsonObject response(IssuedTokens tokens, Scope scope, Instant now) {
    return TokenResponses.of(tokens, scope.text(), now);
  }
}
