package org.gatehouse.auth.oauth.grants;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.oauth.HomeserverFailures;
import org.gatehouse.auth.oauth.IdTokens;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.auth.store.TokenPairs;
import org.gatehouse.auth.store.Transaction;

/**
 * {@code authorization_code} with PKCE: a code is exchanged once, by the client it was issued to, with the
 * redirect URI and the verifier of its request, within its lifetime. Presenting a used code again ends the
 * session the code created (RFC 6749 §4.1.2: a replayed code means the code leaked).
 *
 * <p>With a homeserver kept in step, the code's device is registered there before the code is used: the client
 * calls the homeserver with its token at once, and a device the homeserver does not know logs it out. A homeserver
 * that is away fails the exchange ({@code temporarily_unavailable}) with the code still unused, so the client can
 * try again.
 */
public final class AuthorizationCodeGrant implements GrantHandler {
  private final Stores stores;
  private final SessionTerminator terminator;
  private final IdTokens idTokens;
  private final EventBus bus;
  private final UserIds userIds;
  private final Duration accessLifetime;
  private final Clock clock;
  private final Homeserver homeserver;

  public AuthorizationCodeGrant(Stores stores, SessionTerminator terminator, IdTokens idTokens, EventBus bus,
                                UserIds userIds, Duration accessLifetime, Clock clock, Homeserver homeserver) {
    this.stores = stores;
    this.terminator = terminator;
    this.idTokens = idTokens;
    this.bus = bus;
    this.userIds = userIds;
    this.accessLifetime = accessLifetime;
    this.clock = clock;
    this.homeserver = homeserver;
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
    // RFC 6749 §4.1.3: required if the authorization request carried it, and then identical (CodeGrant.redeem).
    String redirectUri = form.optional("redirect_uri");
    String verifier = form.required("code_verifier");
    Instant now = clock.instant();
    return registerDevice(Digests.sha256(code), client, now)
        .compose(registered -> stores.<Outcome>inTransaction(tx -> tx.codes().lock(Digests.sha256(code))
            .compose(found -> {
              CodeGrant grant = found.orElseThrow(() -> OAuthError.invalidGrant("unknown authorization code"));
              CodeGrant.Redemption redemption = grant.redeem(client.clientId(), redirectUri, verifier, now);
              if (redemption instanceof CodeGrant.Replayed replayed) {
                return Future.succeededFuture(new Replayed(replayed.sessionId()));
              }
              if (redemption instanceof CodeGrant.Refused refused) {
                throw refusal(refused.refusal());
              }
              Scope scope = Scope.parse(grant.scope());
              return tx.users().byId(grant.userId())
                  .compose(user -> issue(tx, grant, scope, user.orElseThrow(), client, now));
            })))
        .compose(outcome -> {
          if (outcome instanceof Replayed replayed) {
            Future<Void> ended = replayed.sessionId() == null ? Future.succeededFuture()
                : terminator.endSession(replayed.sessionId(), "authorization code replayed", client.clientId());
            return ended.compose(done -> Future.failedFuture(OAuthError.invalidGrant(
                "the authorization code was already used; the session it created has been ended")));
          }
          Issued issued = (Issued) outcome;
          if (issued.deviceCreated()) {
            bus.publish(AuthFacts.DeviceCreated.ADDRESS, new AuthFacts.DeviceCreated(userIds.of(issued.localpart()),
                issued.scope().deviceId(), client.deviceName(), client.clientId()).toJson());
          }
          JsonObject response = TokenResponses.of(issued.tokens(), issued.scope().text(), now);
          if (issued.scope().openid()) {
            response.put("id_token", idTokens.issue(client, issued.code().userId(), issued.code().authTime(),
                issued.code().nonce(), issued.tokens().accessToken()));
          }
          return Future.succeededFuture(response);
        });
  }

  /** Inside the exchange's transaction: the session, its device, its tokens, and the code marked exchanged. */
  private Future<Outcome> issue(Transaction tx, CodeGrant grant, Scope scope, User user, Client client, Instant now) {
    if (user.deactivated()) {
      throw OAuthError.invalidGrant("the account has been deactivated");
    }
    return tx.sessions().create(grant.userId(), scope.deviceId(), client.clientId(), scope.text())
        .compose(sessionId -> (scope.deviceId() == null ? Future.succeededFuture(false)
            : tx.devices().ensure(grant.userId(), scope.deviceId(), client.clientId(), client.deviceName()))
            .compose(created -> TokenPairs.issue(tx, sessionId, accessLifetime, clock)
                .compose(tokens -> tx.codes().markExchanged(grant.exchange(sessionId, now))
                    .map(done -> new Issued(tokens, grant, scope, user.localpart(), created)))));
  }

  private static OAuthError refusal(CodeGrant.Refusal refusal) {
    return switch (refusal) {
      case EXPIRED -> OAuthError.invalidGrant("the authorization code has expired");
      case OTHER_CLIENT -> OAuthError.invalidGrant("the authorization code was issued to another client");
      case REDIRECT_URI_MISSING -> OAuthError.invalidRequest("redirect_uri is required: the authorization request carried it");
      case REDIRECT_URI_DIFFERS -> OAuthError.invalidGrant("redirect_uri differs from the authorization request");
      case VERIFIER_MISMATCH -> OAuthError.invalidGrant("code_verifier does not match the code_challenge");
    };
  }

  /**
   * Registers the device of a code that looks usable at the homeserver (idempotent: an existing device is
   * updated). A code that is unknown, used, expired or another client's is left for the transaction to refuse.
   */
  private Future<Void> registerDevice(byte[] codeHash, Client client, Instant now) {
    if (!homeserver.connected()) {
      return Future.succeededFuture();
    }
    return stores.codes().find(codeHash).compose(found -> {
      CodeGrant grant = found.orElse(null);
      String deviceId = grant == null ? null : Scope.parse(grant.scope()).deviceId();
      if (deviceId == null || !grant.usableBy(client.clientId(), now)) {
        return Future.succeededFuture();
      }
      return stores.users().byId(grant.userId()).compose(user -> user.isEmpty() || user.get().deactivated()
          ? Future.succeededFuture()
          : homeserver.upsertDevice(user.get().localpart(), deviceId, client.deviceName())
              .recover(failure -> Future.failedFuture(HomeserverFailures.toOAuth(failure))));
    });
  }
}
