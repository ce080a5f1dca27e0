package org.gatehouse.auth.oauth.grants;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.Pkce;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.facts.AuthFacts;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.oauth.IdTokens;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.SessionStore;

/**
 * {@code authorization_code} with PKCE: a code is exchanged once, by the client it was issued to, with the
 * redirect URI and the verifier of its request, within its lifetime. Presenting a used code again ends the
 * session the code created (RFC 6749 §4.1.2: a replayed code means the code leaked).
 */
public final class AuthorizationCodeGrant implements GrantHandler {
  private final Pool pool;
  private final SessionStore sessions;
  private final DeviceStore devices;
  private final SessionTerminator terminator;
  private final IdTokens idTokens;
  private final EventBus bus;
  private final UserIds userIds;
  private final Duration accessLifetime;
  private final Clock clock;

  public AuthorizationCodeGrant(Pool pool, SessionStore sessions, DeviceStore devices, SessionTerminator terminator,
                                IdTokens idTokens, EventBus bus, UserIds userIds, Duration accessLifetime, Clock clock) {
    this.pool = pool;
    this.sessions = sessions;
    this.devices = devices;
    this.terminator = terminator;
    this.idTokens = idTokens;
    this.bus = bus;
    this.userIds = userIds;
    this.accessLifetime = accessLifetime;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return GrantTypes.AUTHORIZATION_CODE;
  }

  private sealed interface Outcome permits Issued, Replayed {
  }

  private record Issued(IssuedTokens tokens, CodeGrant code, Scope scope, String localpart, boolean deviceCreated)
      implements Outcome {
  }

  private record Replayed(UUID sessionId) implements Outcome {
  }

  @Override
  public Future<JsonObject> exchange(RoutingContext ctx, FormParams form, Client client) {
    String code = form.required("code");
    String redirectUri = form.required("redirect_uri");
    String verifier = form.required("code_verifier");
    Instant now = clock.instant();
    return pool.<Outcome>withTransaction(sql -> sessions.lockCode(sql, Digests.sha256(code)).compose(found -> {
          CodeGrant grant = found.orElseThrow(() -> OAuthError.invalidGrant("unknown authorization code"));
          if (grant.exchangedAt() != null) {
            return Future.succeededFuture(new Replayed(grant.sessionId()));
          }
          if (!grant.expiresAt().isAfter(now)) {
            throw OAuthError.invalidGrant("the authorization code has expired");
          }
          if (!grant.clientId().equals(client.clientId())) {
            throw OAuthError.invalidGrant("the authorization code was issued to another client");
          }
          if (!grant.redirectUri().equals(redirectUri)) {
            throw OAuthError.invalidGrant("redirect_uri differs from the authorization request");
          }
          if (!Pkce.verify(verifier, grant.codeChallenge())) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
          }
          Scope scope = Scope.parse(grant.scope());
          return sql.preparedQuery("SELECT localpart, deactivated_at FROM auth.users WHERE id = $1")
              .execute(io.vertx.sqlclient.Tuple.of(grant.userId()))
              .compose(rows -> {
                var user = rows.iterator().next();
                if (user.getValue("deactivated_at") != null) {
                  throw OAuthError.invalidGrant("the account has been deactivated");
                }
                String localpart = user.getString("localpart");
                return sessions.createSession(sql, grant.userId(), scope.deviceId(), client.clientId(), scope.text())
                    .compose(sessionId -> (scope.deviceId() == null ? Future.succeededFuture(false)
                        : devices.ensure(sql, grant.userId(), scope.deviceId(), client.clientId(), null))
                        .compose(created -> sessions.issueTokens(sql, sessionId, accessLifetime)
                            .compose(tokens -> sessions.markCodeExchanged(sql, grant.codeHash(), sessionId, now)
                                .map(done -> new Issued(tokens, grant, scope, localpart, created)))));
              });
        }))
        .compose(outcome -> {
          if (outcome instanceof Replayed replayed) {
            Future<Void> ended = replayed.sessionId() == null ? Future.succeededFuture()
                : terminator.endSession(replayed.sessionId(), "authorization code replayed", client.clientId());
            return ended.compose(done -> Future.failedFuture(OAuthError.invalidGrant(
                "the authorization code was already used; the session it created has been ended")));
          }
          Issued issued = (Issued) outcome;
          if (issued.deviceCreated()) {
            bus.publish(AuthFacts.DEVICE_CREATED, new JsonObject().put("user_id", userIds.of(issued.localpart()))
                .put("device_id", issued.scope().deviceId()).put("by", client.clientId()));
          }
          JsonObject response = TokenResponses.of(issued.tokens(), issued.scope().text(), now);
          if (issued.scope().openid()) {
            response.put("id_token", idTokens.issue(client, issued.code().userId(), issued.code().authTime(),
                issued.code().nonce(), issued.tokens().accessToken()));
          }
          return Future.succeededFuture(response);
        });
  }
}
