package org.gatehouse.auth.matrix;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.appservice.AppserviceRegistry;
import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.domain.Appservices;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.http.JsonBodies;
import org.gatehouse.common.http.MatrixError;

/**
 * {@code /register} on a server that signs in through OAuth (MSC4190): appservices may still register users of
 * their namespaces, with {@code "inhibit_login": true}; nobody gets a token from it. ({@code /login} is
 * {@link LegacyLoginRoutes}, which refuses appservice logins the same way.)
 */
public final class AppserviceAccountRoutes {
  public static final String APPSERVICE_LOGIN = "m.login.application_service";
  /**
   * The code of MSC4190's refusals, as the Synapse Gatehouse is tested with (1.163.2) sends it on its own
   * {@code /register} and {@code /login}: the stable code of Matrix v1.17. Synapse 1.139 up to its stabilisation
   * (element-hq/synapse#20180) sent the unstable {@code IO.ELEMENT.MSC4190.M_APPSERVICE_LOGIN_UNSUPPORTED} instead.
   */
  public static final String LOGIN_UNSUPPORTED = "M_APPSERVICE_LOGIN_UNSUPPORTED";

  private final AppserviceRegistry registry;
  private final UserStore users;
  private final UserIds userIds;

  public AppserviceAccountRoutes(AppserviceRegistry registry, UserStore users, UserIds userIds) {
    this.registry = registry;
    this.users = users;
    this.userIds = userIds;
  }

  public void mount(Router router) {
    router.post("/_matrix/client/v3/register").handler(this::register);
  }

  private void register(RoutingContext ctx) {
    String token = Authenticator.bearerToken(ctx);
    JsonObject body = JsonBodies.object(ctx);
    if (!APPSERVICE_LOGIN.equals(body.getValue("type"))) {
      throw MatrixError.forbidden("Accounts are created through OAuth 2.0 (see /_matrix/client/v1/auth_metadata);"
          + " /register is only for appservices");
    }
    if (token == null) {
      throw MatrixError.missingToken();
    }
    Appservices current = registry.current();
    AppserviceRegistration appservice = current.byToken(token)
        .orElseThrow(() -> MatrixError.unknownToken("Unknown appservice token", false));
    String username = JsonBodies.requiredString(body, "username");
    if (!Boolean.TRUE.equals(body.getValue("inhibit_login"))) {
      throw new MatrixError(400, LOGIN_UNSUPPORTED,
          "Register with \"inhibit_login\": true and create devices with PUT /devices/{deviceId} (MSC4190)");
    }
    String localpart = username.startsWith("@") ? userIds.localpartOf(username) : username;
    if (localpart == null || !UserIds.isValidLocalpart(localpart)) {
      throw new MatrixError(400, "M_INVALID_USERNAME", "User names use lower-case letters, digits and . _ = - / + only");
    }
    String userId = userIds.of(localpart);
    if (!appservice.covers(userId, userIds.of(appservice.senderLocalpart()))) {
      throw new MatrixError(400, "M_EXCLUSIVE", userId + " is not in the namespaces of appservice " + appservice.id());
    }
    // A namespace of our own that is not exclusive (e.g. @.*) does not reach into another appservice's exclusive one.
    current.exclusiveOwnerOtherThan(appservice.id(), userId).ifPresent(owner -> {
      throw new MatrixError(400, "M_EXCLUSIVE", userId + " is in an exclusive namespace of another appservice");
    });
    users.create(localpart, null, false, appservice.id())
        .recover(failure -> Future.failedFuture(failure instanceof UserStore.DuplicateException
            ? new MatrixError(400, "M_USER_IN_USE", "User " + userId + " already exists") : failure))
        .onSuccess(user -> ctx.json(new JsonObject().put("user_id", userId)))
        .onFailure(ctx::fail);
  }
}
