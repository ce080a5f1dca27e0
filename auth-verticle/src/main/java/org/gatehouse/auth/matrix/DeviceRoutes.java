package org.gatehouse.auth.matrix;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.MatrixError;

/** {@code GET /_matrix/client/v3/account/whoami} and the reading device endpoints. */
public final class DeviceRoutes {
  private final Authenticator authenticator;
  private final UserStore users;
  private final DeviceStore devices;
  private final UserIds userIds;

  public DeviceRoutes(Authenticator authenticator, UserStore users, DeviceStore devices, UserIds userIds) {
    this.authenticator = authenticator;
    this.users = users;
    this.devices = devices;
    this.userIds = userIds;
  }

  public void mount(Router router) {
    router.get("/_matrix/client/v3/account/whoami").handler(this::whoami);
    router.get("/_matrix/client/v3/devices").handler(this::list);
    router.get("/_matrix/client/v3/devices/:deviceId").handler(this::get);
  }

  private void whoami(RoutingContext ctx) {
    authenticator.authenticate(ctx, Authenticator.Access.READ)
        .onSuccess(requester -> {
          JsonObject body = new JsonObject().put("user_id", requester.userId()).put("is_guest", false);
          if (requester.deviceId() != null) {
            body.put("device_id", requester.deviceId());
          }
          ctx.json(body);
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    authenticator.authenticate(ctx, Authenticator.Access.READ)
        .compose(this::userOf)
        .compose(user -> devices.list(user.id()))
        .onSuccess(list -> {
          JsonArray array = new JsonArray();
          list.forEach(d -> array.add(d.toMatrixJson()));
          ctx.json(new JsonObject().put("devices", array));
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    authenticator.authenticate(ctx, Authenticator.Access.READ)
        .compose(this::userOf)
        .compose(user -> devices.get(user.id(), deviceId))
        .onSuccess(device -> {
          if (device.isEmpty()) {
            ctx.fail(MatrixError.notFound("Unknown device"));
          } else {
            ctx.json(device.get().toMatrixJson());
          }
        })
        .onFailure(ctx::fail);
  }

  /** The account of the requester; appservice-asserted users are resolved the same way. */
  public Future<User> userOf(Requester requester) {
    String localpart = userIds.localpartOf(requester.userId());
    if (localpart == null) {
      return Future.failedFuture(MatrixError.forbidden("Not a user of this server"));
    }
    return users.byLocalpart(localpart).compose(user -> user.isPresent() ? Future.succeededFuture(user.get())
        : Future.failedFuture(MatrixError.unknownToken("Unknown user", false)));
  }
}
