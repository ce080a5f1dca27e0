package org.gatehouse.auth.oauth.grants;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.devicegrant.DeviceGrant;
import org.gatehouse.auth.devicegrant.DeviceGrantStore;
import org.gatehouse.auth.devicegrant.GrantWakeUps;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.oauth.HomeserverFailures;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.auth.store.SessionStore;

/**
 * The device code grant (RFC 8628 §3.4): the new device polls until the user approved (tokens), denied
 * ({@code access_denied}) or let it expire ({@code expired_token}). A poll of a pending grant is held open for up
 * to the polling interval and answered the moment a decision is made on any node; polling again sooner than the
 * interval after an answer is {@code slow_down}.
 */
public final class DeviceCodeGrant implements GrantHandler {
  private final Pool pool;
  private final DeviceGrantStore grants;
  private final SessionStore sessions;
  private final GrantWakeUps wakeUps;
  private final Duration accessLifetime;
  private final Clock clock;
  private final UserStore users;
  private final Homeserver homeserver;

  public DeviceCodeGrant(Pool pool, DeviceGrantStore grants, SessionStore sessions, GrantWakeUps wakeUps,
                         Duration accessLifetime, Clock clock, UserStore users, Homeserver homeserver) {
    this.pool = pool;
    this.grants = grants;
    this.sessions = sessions;
    this.wakeUps = wakeUps;
    this.accessLifetime = accessLifetime;
    this.clock = clock;
    this.users = users;
    this.homeserver = homeserver;
  }

  @Override
  public String grantType() {
    return GrantTypes.DEVICE_CODE;
  }

  @Override
  public Future<JsonObject> exchange(RoutingContext ctx, FormParams form, Client client) {
    byte[] codeHash = Digests.sha256(form.required("device_code"));
    return grants.byDeviceCode(codeHash).compose(found -> {
      DeviceGrant grant = found.orElse(null);
      if (grant == null || !grant.clientId().equals(client.clientId())) {
        return Future.failedFuture(OAuthError.invalidGrant("unknown device code"));
      }
      DeviceGrant.PollOutcome outcome = grant.poll(clock.instant());
      if (outcome != DeviceGrant.PollOutcome.PENDING) {
        return answer(grant, outcome, client);
      }
      // Wait (registered before re-reading, so a decision in between is not missed), then look again.
      Instant until = grant.expiresAt().isBefore(clock.instant().plusSeconds(grant.intervalSeconds()))
          ? grant.expiresAt() : clock.instant().plusSeconds(grant.intervalSeconds());
      Future<Void> woken = wakeUps.waitFor(grant.id(), Duration.between(clock.instant(), until));
      return grants.byId(grant.id())
          .compose(reread -> reread.orElseThrow().state() == DeviceGrant.State.PENDING ? woken.map(v -> null)
              : Future.succeededFuture())
          .compose(v -> grants.byId(grant.id()))
          .compose(latest -> {
            DeviceGrant now = latest.orElseThrow();
            DeviceGrant.PollOutcome after = now.state() == DeviceGrant.State.PENDING
                ? (now.expiredAt(clock.instant()) ? DeviceGrant.PollOutcome.EXPIRED : DeviceGrant.PollOutcome.PENDING)
                : now.poll(clock.instant());
            return answer(now, after, client);
          });
    });
  }

  private Future<JsonObject> answer(DeviceGrant grant, DeviceGrant.PollOutcome outcome, Client client) {
    return switch (outcome) {
      case APPROVED -> issue(grant, client);
      case DENIED -> Future.failedFuture(new OAuthError(400, "access_denied", "the user denied the request"));
      case EXPIRED -> Future.failedFuture(new OAuthError(400, "expired_token", "the device code has expired"));
      case ALREADY_EXCHANGED -> Future.failedFuture(OAuthError.invalidGrant("the device code was already used"));
      case SLOW_DOWN -> recordPoll(grant, outcome).compose(done -> Future.failedFuture(
          new OAuthError(400, "slow_down", "polling too fast; wait the interval between requests")));
      case PENDING -> recordPoll(grant, outcome).compose(done -> Future.failedFuture(
          new OAuthError(400, "authorization_pending", "the user has not decided yet")));
    };
  }

  private Future<Void> recordPoll(DeviceGrant grant, DeviceGrant.PollOutcome outcome) {
    return pool.withTransaction(sql -> grants.lock(sql, grant.id())
        .compose(locked -> grants.update(sql, locked.orElseThrow().polled(clock.instant(), outcome))));
  }

  /**
   * The tokens, once the device is (again: approval registered it already) at the homeserver, as the reference auth
   * service does at exchange; a homeserver that is away leaves the grant approved for the next poll.
   */
  private Future<JsonObject> issue(DeviceGrant grant, Client client) {
    Instant now = clock.instant();
    String deviceId = Scope.parse(grant.scope()).deviceId();
    Future<Void> registered = !homeserver.connected() || deviceId == null ? Future.succeededFuture()
        : users.byId(grant.userId()).compose(user -> user.isEmpty() ? Future.succeededFuture()
            : homeserver.upsertDevice(user.get().localpart(), deviceId, client.deviceName())
                .recover(failure -> Future.failedFuture(HomeserverFailures.toOAuth(failure))));
    return registered.compose(ok -> pool.withTransaction(sql -> grants.lock(sql, grant.id()).compose(locked -> {
      DeviceGrant current = locked.orElseThrow();
      if (current.state() != DeviceGrant.State.APPROVED) {
        // Another poll collected the tokens in the meantime.
        return Future.failedFuture(OAuthError.invalidGrant("the device code was already used"));
      }
      Scope scope = Scope.parse(current.scope());
      return sessions.createSession(sql, current.userId(), scope.deviceId(), client.clientId(), scope.text())
          .compose(sessionId -> sessions.issueTokens(sql, sessionId, accessLifetime)
              .compose(tokens -> grants.update(sql, current.exchanged(sessionId))
                  .map(done -> response(tokens, scope, now))));
    })));
  }

  private static JsonObject response(IssuedTokens tokens, Scope scope, Instant now) {
    return TokenResponses.of(tokens, scope.text(), now);
  }
}
