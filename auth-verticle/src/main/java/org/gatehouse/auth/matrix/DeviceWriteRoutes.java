package org.gatehouse.auth.matrix;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.appservice.AppserviceRegistry;
import org.gatehouse.auth.domain.User;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.JsonBodies;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/**
 * Changing devices: {@code PUT /devices/{id}}, {@code DELETE /devices/{id}}, {@code POST /delete_devices}.
 *
 * <p>Appservices registered with {@code io.element.msc4190: true} create devices with PUT (201) and delete them
 * without User-Interactive Authentication (MSC4190); creation is rate limited per appservice unless it registered
 * {@code rate_limited: false}. A user signed in through OAuth renames its devices and may delete its own current
 * device (a logout); other devices are managed on the account page, where a fresh sign-in guards them.
 */
public final class DeviceWriteRoutes {
  /** Device IDs Gatehouse accepts in paths and bodies. */
  static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._~+=-]{1,255}");
  static final int MAX_DISPLAY_NAME = 256;
  static final int MAX_BATCH = 1000;

  private final Authenticator authenticator;
  private final DeviceRoutes reads;
  private final DeviceStore devices;
  private final SessionTerminator terminator;
  private final AppserviceRegistry appservices;
  private final ClusterRateLimiter limiter;
  private final RateLimit creationLimit;
  private final EventBus bus;
  private final Homeserver homeserver;

  public DeviceWriteRoutes(Authenticator authenticator, DeviceRoutes reads, DeviceStore devices,
                           SessionTerminator terminator, AppserviceRegistry appservices, ClusterRateLimiter limiter,
                           RateLimit creationLimit, EventBus bus, Homeserver homeserver) {
    this.authenticator = authenticator;
    this.reads = reads;
    this.devices = devices;
    this.terminator = terminator;
    this.appservices = appservices;
    this.limiter = limiter;
    this.creationLimit = creationLimit;
    this.homeserver = homeserver;
    this.bus = bus;
  }

  public void mount(Router router) {
    router.put("/_matrix/client/v3/devices/:deviceId").handler(this::put);
    router.delete("/_matrix/client/v3/devices/:deviceId").handler(this::delete);
    router.post("/_matrix/client/v3/delete_devices").handler(this::deleteMany);
  }

  private void put(RoutingContext ctx) {
    String deviceId = validDeviceId(ctx.pathParam("deviceId"));
    JsonObject body = JsonBodies.optionalObject(ctx);
    String displayName = JsonBodies.optionalString(body, "display_name");
    if (displayName != null && displayName.length() > MAX_DISPLAY_NAME) {
      throw MatrixError.invalidParam("display_name is longer than " + MAX_DISPLAY_NAME + " characters");
    }
    authenticator.authenticate(ctx, Authenticator.Access.WRITE)
        .compose(requester -> reads.userOf(requester).compose(user -> devices.get(user.id(), deviceId).compose(found -> {
          if (found.isPresent()) {
            Future<Boolean> renamed = displayName == null ? Future.succeededFuture(false)
                : devices.rename(user.id(), deviceId, displayName);
            return renamed.map(changed -> {
              if (changed) {
                bus.publish(AuthFacts.DeviceRenamed.ADDRESS,
                    new AuthFacts.DeviceRenamed(requester.userId(), deviceId, displayName).toJson());
              }
              return 200;
            });
          }
          AppserviceRegistration appservice = managingAppservice(requester);
          if (appservice == null) {
            return Future.failedFuture(MatrixError.notFound("Unknown device"));
          }
          return create(appservice, requester, user, deviceId, displayName);
        })))
        .onSuccess(status -> ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end("{}"))
        .onFailure(ctx::fail);
  }

  private Future<Integer> create(AppserviceRegistration appservice, Requester requester, User user, String deviceId,
                                 String displayName) {
    Future<Void> allowed = appservice.rateLimited() ? limiter.check("devices:" + appservice.id(), creationLimit)
        : Future.succeededFuture();
    // The homeserver first: the appservice acts as the device at the homeserver as soon as it has the 201.
    return allowed.compose(ok -> homeserver.upsertDevice(user.localpart(), deviceId, displayName))
        .compose(registered -> devices.ensure(user.id(), deviceId, appservice.id(), displayName))
        .map(created -> {
          if (created) {
            bus.publish(AuthFacts.DeviceCreated.ADDRESS,
                new AuthFacts.DeviceCreated(requester.userId(), deviceId, displayName, appservice.id()).toJson());
          }
          // Two creations racing for the same ID: the loser finds the device and it is an update for it.
          return created ? 201 : 200;
        });
  }

  private void delete(RoutingContext ctx) {
    String deviceId = validDeviceId(ctx.pathParam("deviceId"));
    authenticator.authenticate(ctx, Authenticator.Access.LOGOUT)
        .compose(requester -> mayDelete(requester, List.of(deviceId))
            .compose(user -> terminator.deleteDevice(user.id(), user.localpart(), deviceId, by(requester))))
        .onSuccess(existed -> {
          if (!existed) {
            ctx.fail(MatrixError.notFound("Unknown device"));
          } else {
            ctx.json(new JsonObject());
          }
        })
        .onFailure(ctx::fail);
  }

  private void deleteMany(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Object raw = body.getValue("devices");
    if (raw == null) {
      throw MatrixError.missingParam("Missing field: devices");
    }
    if (!(raw instanceof JsonArray array) || array.stream().anyMatch(d -> !(d instanceof String))) {
      throw MatrixError.badJson("devices must be an array of device IDs");
    }
    if (array.size() > MAX_BATCH) {
      throw MatrixError.invalidParam("At most " + MAX_BATCH + " devices at once");
    }
    List<String> ids = new ArrayList<>();
    array.forEach(d -> ids.add(validDeviceId((String) d)));
    authenticator.authenticate(ctx, Authenticator.Access.LOGOUT)
        .compose(requester -> mayDelete(requester, ids).compose(user -> {
          Future<Void> chain = Future.succeededFuture();
          for (String id : ids) {
            chain = chain.compose(done -> terminator.deleteDevice(user.id(), user.localpart(), id, by(requester))
                .mapEmpty());
          }
          return chain;
        }))
        .onSuccess(done -> ctx.json(new JsonObject()))
        .onFailure(ctx::fail);
  }

  /**
   * The account whose devices {@code requester} may delete: an appservice with device management, any device of
   * the asserted user; anyone else, only the device they are using — while locked, nothing but that either.
   */
  private Future<User> mayDelete(Requester requester, List<String> deviceIds) {
    boolean onlyOwnCurrent = requester.deviceId() != null && deviceIds.stream().allMatch(requester.deviceId()::equals);
    if (requester.locked() && !onlyOwnCurrent) {
      return Future.failedFuture(MatrixError.userLocked());
    }
    if (requester.isAppservice()) {
      if (managingAppservice(requester) == null) {
        return Future.failedFuture(MatrixError.forbidden(
            "This appservice's registration does not enable device management (io.element.msc4190: true)"));
      }
      return reads.userOf(requester);
    }
    if (!onlyOwnCurrent) {
      return Future.failedFuture(MatrixError.forbidden(
          "Sign out other devices from your account page; a client may only delete the device it is using"));
    }
    return reads.userOf(requester);
  }

  private AppserviceRegistration managingAppservice(Requester requester) {
    if (!requester.isAppservice()) {
      return null;
    }
    return appservices.current().registrations().stream()
        .filter(r -> r.id().equals(requester.appserviceId()) && r.deviceManagement())
        .findFirst().orElse(null);
  }

  private static String by(Requester requester) {
    return requester.isAppservice() ? requester.appserviceId() : requester.userId();
  }

  private static String validDeviceId(String deviceId) {
    if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
      throw MatrixError.invalidParam("Device IDs are 1 to 255 characters from A-Z a-z 0-9 . _ ~ + = -");
    }
    return deviceId;
  }
}
