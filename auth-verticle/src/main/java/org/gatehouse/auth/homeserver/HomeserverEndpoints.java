package org.gatehouse.auth.homeserver;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.ClientAuthenticator;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.http.MatrixError;

/**
 * What the homeserver asks Gatehouse about cross-signing resets (MSC4312). When a client completes the
 * {@code m.oauth} stage of {@code /keys/device_signing/upload}, the homeserver consumes the user's approval; if
 * there is none (never approved, expired or already used), it keeps refusing the upload.
 *
 * <ul>
 *   <li>{@code GET /_gatehouse/homeserver/v1/cross_signing_reset/{userId}} → {@code {"user_id","approved",
 *       "expires_ts"?,"expires_in_ms"?}}</li>
 *   <li>{@code POST /_gatehouse/homeserver/v1/cross_signing_reset/{userId}/consume} → {@code {"consumed": true}} or
 *       {@code 404 M_NOT_FOUND}</li>
 * </ul>
 * Callers authenticate like at the introspection endpoint: the shared secret as a bearer token, or HTTP Basic
 * credentials of a static client allowed to introspect.
 */
public final class HomeserverEndpoints {
  public static final String PREFIX = "/_gatehouse/homeserver/v1/cross_signing_reset/";

  private final CrossSigningResets resets;
  private final UserStore users;
  private final UserIds userIds;
  private final Optional<byte[]> secretDigest;
  private final ClientAuthenticator clients;
  private final Clock clock;

  public HomeserverEndpoints(CrossSigningResets resets, UserStore users, UserIds userIds, Optional<String> sharedSecret,
                             ClientAuthenticator clients, Clock clock) {
    this.resets = resets;
    this.users = users;
    this.userIds = userIds;
    this.secretDigest = sharedSecret.map(Digests::sha256);
    this.clients = clients;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get(PREFIX + ":userId").handler(this::status);
    router.post(PREFIX + ":userId/consume").handler(this::consume);
  }

  private void status(RoutingContext ctx) {
    authorize(ctx).compose(ok -> user(ctx)).compose(user -> resets.open(user.id())).onSuccess(window -> {
      JsonObject body = new JsonObject().put("user_id", ctx.pathParam("userId")).put("approved", window.isPresent());
      window.ifPresent(w -> body.put("expires_ts", w.expiresAt().toEpochMilli())
          .put("expires_in_ms", Math.max(0, Duration.between(clock.instant(), w.expiresAt()).toMillis())));
      ctx.json(body);
    }).onFailure(ctx::fail);
  }

  private void consume(RoutingContext ctx) {
    authorize(ctx).compose(ok -> user(ctx))
        .compose(user -> resets.consume(user.id(), ctx.pathParam("userId")))
        .onSuccess(consumed -> {
          if (consumed) {
            ctx.json(new JsonObject().put("consumed", true));
          } else {
            ctx.fail(MatrixError.notFound("No open cross-signing reset approval for this user"));
          }
        })
        .onFailure(ctx::fail);
  }

  private Future<Void> authorize(RoutingContext ctx) {
    String bearer = Authenticator.bearerToken(ctx);
    if (bearer != null) {
      return secretDigest.isPresent() && Digests.equalsConstantTime(Digests.sha256(bearer), secretDigest.get())
          ? Future.succeededFuture() : Future.failedFuture(MatrixError.unknownToken("Not the homeserver's secret", false));
    }
    if (ctx.request().getHeader("Authorization") == null) {
      return Future.failedFuture(MatrixError.missingToken());
    }
    return clients.authenticate(ctx, FormParams.query(ctx))
        .recover(failure -> Future.failedFuture(MatrixError.unknownToken("Client authentication failed", false)))
        .compose(client -> client.mayIntrospect() ? Future.succeededFuture()
            : Future.failedFuture(MatrixError.forbidden("This client may not ask about users")));
  }

  private Future<User> user(RoutingContext ctx) {
    String localpart = userIds.localpartOf(ctx.pathParam("userId"));
    if (localpart == null) {
      return Future.failedFuture(MatrixError.invalidParam("Not a user of this server"));
    }
    return users.byLocalpart(localpart).compose(found -> found.isPresent() && !found.get().deactivated()
        ? Future.succeededFuture(found.get()) : Future.failedFuture(MatrixError.notFound("Unknown user")));
  }
}
