package org.gatehouse.auth.matrix;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.gatehouse.auth.AuthConfig;
import org.gatehouse.auth.accounts.SignIn;
import org.gatehouse.auth.compat.CompatSessions;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.oauth.grants.RefreshTokenGrant;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.http.JsonBodies;
import org.gatehouse.common.http.MatrixError;

/**
 * The legacy Matrix login API on compatibility sessions ({@link CompatSessions}): {@code GET /login} lists the
 * flows, {@code POST /login} takes {@code m.login.password} and {@code m.login.token} (the token the SSO pages,
 * {@code web.LegacySsoPage}, hand back to the application; with {@code "refresh_token": true} also a refresh
 * token and {@code expires_in_ms}, MSC2918), {@code /logout} and {@code /logout/all} end sessions as a revocation
 * does (every node and the homeserver's device before the answer), and {@code /refresh} rotates a compatibility
 * session's refresh token with the token endpoint's own rules. Appservice logins stay refused (MSC4190). The
 * password is checked by the sign-in page's {@link SignIn}, so both are limited together.
 */
public final class LegacyLoginRoutes {
  static final String PASSWORD = "m.login.password";
  static final String SSO = "m.login.sso";
  static final String TOKEN = "m.login.token";
  /** The one identity provider behind {@code m.login.sso}: Gatehouse's own sign-in pages. */
  public static final String IDP_ID = "gatehouse";
  private static final String[] VERSIONS = {"v3", "r0"};

  private final AuthConfig.LegacyLogin offered;
  private final AccountStatusView statuses;
  private final SignIn signIn;
  private final CompatSessions sessions;
  private final RefreshTokenGrant refresh;
  private final ClientStore clients;
  private final UserStore users;
  private final SessionTerminator terminator;
  private final Authenticator authenticator;
  private final UserIds userIds;
  private final Clock clock;

  public LegacyLoginRoutes(AuthConfig.LegacyLogin offered, AccountStatusView statuses, SignIn signIn, CompatSessions sessions, RefreshTokenGrant refresh,
                           ClientStore clients, UserStore users, SessionTerminator terminator,
                           Authenticator authenticator, UserIds userIds, Clock clock) {
    this.offered = offered;
    this.statuses = statuses;
    this.signIn = signIn;
    this.sessions = sessions;
    this.refresh = refresh;
    this.clients = clients;
    this.users = users;
    this.terminator = terminator;
    this.authenticator = authenticator;
    this.userIds = userIds;
    this.clock = clock;
  }

  public void mount(Router router) {
    for (String version : VERSIONS) {
      String prefix = "/_matrix/client/" + version;
      router.get(prefix + "/login").handler(this::flows);
      router.post(prefix + "/login").handler(this::login);
      router.post(prefix + "/logout").handler(this::logout);
      router.post(prefix + "/logout/all").handler(this::logoutAll);
      router.post(prefix + "/refresh").handler(this::refresh);
    }
  }

  private void flows(RoutingContext ctx) {
    JsonArray flows = new JsonArray();
    if (offered.password()) {
      flows.add(new JsonObject().put("type", PASSWORD));
    }
    if (offered.sso()) {
      flows.add(new JsonObject().put("type", SSO).put("identity_providers", new JsonArray()
          .add(new JsonObject().put("id", IDP_ID).put("name", "Gatehouse"))));
      flows.add(new JsonObject().put("type", TOKEN));
    }
    ctx.json(new JsonObject().put("flows", flows));
  }

  private void login(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Object type = body.getValue("type");
    if (AppserviceAccountRoutes.APPSERVICE_LOGIN.equals(type)) {
      throw new MatrixError(400, AppserviceAccountRoutes.LOGIN_UNSUPPORTED,
          "Appservices create devices with PUT /devices/{deviceId} (MSC4190); they do not log in");
    }
    boolean password = PASSWORD.equals(type) && offered.password();
    boolean token = TOKEN.equals(type) && offered.sso();
    if (!password && !token) {
      throw new MatrixError(400, "M_UNKNOWN", "Unsupported login type; GET /login lists the flows this server "
          + "offers, and OAuth 2.0 clients sign in through /_matrix/client/v1/auth_metadata");
    }
    String deviceId = JsonBodies.optionalString(body, "device_id");
    if (deviceId != null && !CompatSessions.isAcceptableDeviceId(deviceId)) {
      throw MatrixError.invalidParam("device_id must be 1 to 255 printable ASCII characters without spaces");
    }
    String deviceName = JsonBodies.optionalString(body, "initial_device_display_name");
    boolean refreshable = Boolean.TRUE.equals(JsonBodies.optionalBoolean(body, "refresh_token"));
    Future<SignIn.Result> checked = password
        ? signIn.attempt(userOf(body), JsonBodies.requiredString(body, "password"), HttpEdge.clientAddress(ctx))
        : sessions.redeemLoginToken(JsonBodies.requiredString(body, "token")).map(this::tokenResult);
    checked.compose(result -> sessionOrRefusal(result, deviceId, deviceName, refreshable))
        .onSuccess(started -> {
          JsonObject answer = new JsonObject().put("user_id", started.userId())
              .put("access_token", started.tokens().accessToken()).put("device_id", started.deviceId());
          if (started.refreshable()) {
            answer.put("refresh_token", started.tokens().refreshToken())
                .put("expires_in_ms", expiresInMs(started.tokens().expiresAt()));
          }
          ctx.json(answer);
        })
        .onFailure(ctx::fail);
  }

  /** What a login token proves, in the terms of a password check. */
  private SignIn.Result tokenResult(java.util.Optional<org.gatehouse.auth.domain.User> user) {
    if (user.isEmpty()) {
      return new SignIn.WrongCredentials();
    }
    if (user.get().deactivated()) {
      return new SignIn.Deactivated();
    }
    if (statuses.of(userIds.of(user.get().localpart())).locked()) {
      return new SignIn.Locked();
    }
    return new SignIn.Success(user.get());
  }

  /** A session for the right password (or token) of a usable account; the spec's refusal for anything else. */
  private Future<CompatSessions.Started> sessionOrRefusal(SignIn.Result result, String deviceId, String deviceName,
                                                          boolean refreshable) {
    if (result instanceof SignIn.Success success) {
      return sessions.start(success.user(), deviceId, deviceName, refreshable);
    }
    if (result instanceof SignIn.Limited limited) {
      return Future.failedFuture(MatrixError.limitExceeded(limited.retryAfter()));
    }
    if (result instanceof SignIn.Locked) {
      return Future.failedFuture(new MatrixError(401, "M_USER_LOCKED", "This account has been locked by an "
          + "administrator", new JsonObject().put("soft_logout", true)));
    }
    if (result instanceof SignIn.Deactivated) {
      return Future.failedFuture(new MatrixError(403, "M_USER_DEACTIVATED", "This account has been deactivated"));
    }
    return Future.failedFuture(MatrixError.forbidden("Invalid username, password or login token"));
  }

  /** {@code identifier} of type {@code m.id.user}, or the deprecated top-level {@code user}. */
  private static String userOf(JsonObject body) {
    Object identifier = body.getValue("identifier");
    if (identifier == null) {
      return JsonBodies.requiredString(body, "user");
    }
    if (!(identifier instanceof JsonObject id)) {
      throw MatrixError.badJson("identifier must be an object");
    }
    if (!"m.id.user".equals(id.getValue("type"))) {
      throw new MatrixError(400, "M_UNKNOWN", "Only m.id.user identifiers are supported");
    }
    return JsonBodies.requiredString(id, "user");
  }

  private void logout(RoutingContext ctx) {
    authenticator.authenticate(ctx, Authenticator.Access.LOGOUT)
        .compose(requester -> terminator.endSession(sessionOf(requester), "logout", requester.userId()))
        .onSuccess(done -> ctx.json(new JsonObject()))
        .onFailure(ctx::fail);
  }

  /** Every session of the account and every device, as the spec has it (and deactivation does). */
  private void logoutAll(RoutingContext ctx) {
    authenticator.authenticate(ctx, Authenticator.Access.LOGOUT)
        .compose(requester -> {
          sessionOf(requester);
          String localpart = userIds.localpartOf(requester.userId());
          return users.byLocalpart(localpart).compose(user -> terminator.endAllOf(user.orElseThrow().id(), localpart,
              "logout from every device", requester.userId()));
        })
        .onSuccess(done -> ctx.json(new JsonObject()))
        .onFailure(ctx::fail);
  }

  private static UUID sessionOf(Requester requester) {
    if (requester.sessionId() == null) {
      throw MatrixError.forbidden("An appservice token is not a session; it cannot log out");
    }
    return UUID.fromString(requester.sessionId());
  }

  /** MSC2918 refresh of a compatibility session, with the token endpoint's rotation, reissue and replay rules. */
  private void refresh(RoutingContext ctx) {
    String token = JsonBodies.requiredString(JsonBodies.object(ctx), "refresh_token");
    clients.byId(CompatSessions.CLIENT_ID)
        .compose(client -> refresh.exchange(ctx, FormParams.of(Map.of("refresh_token", token)),
            client.orElseThrow(() -> new IllegalStateException("the legacy login client is missing"))))
        .recover(failure -> Future.failedFuture(failure instanceof OAuthError
            // Unknown, spent, replayed (its session then ended) or of an OAuth client: the client must log in again.
            ? MatrixError.unknownToken("The refresh token is not valid: " + failure.getMessage(), false) : failure))
        .onSuccess(tokens -> ctx.json(new JsonObject().put("access_token", tokens.getString("access_token"))
            .put("refresh_token", tokens.getString("refresh_token"))
            .put("expires_in_ms", tokens.getLong("expires_in") * 1000)))
        .onFailure(ctx::fail);
  }

  private long expiresInMs(Instant expiresAt) {
    return Math.max(0, Duration.between(clock.instant(), expiresAt).toMillis());
  }
}
