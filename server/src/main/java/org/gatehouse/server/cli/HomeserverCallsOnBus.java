package org.gatehouse.server.cli;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.homeserver.HomeserverCalls;

/**
 * The homeserver connector's requests ({@link HomeserverCalls}) answered on a command node's bus by a
 * {@link Homeserver} called directly, so that the modules on that node ask the homeserver as they do on every node
 * (over the bus, {@link Homeserver#overBus}). On a running node the connector's verticle answers them.
 */
final class HomeserverCallsOnBus {
  private HomeserverCallsOnBus() {
  }

  static Future<Void> serve(EventBus bus, Homeserver homeserver) {
    return Future.all(List.of(
        serve(bus, HomeserverCalls.CheckLocalpart.ADDRESS,
            body -> homeserver.checkLocalpart(HomeserverCalls.CheckLocalpart.fromJson(body).localpart())),
        serve(bus, HomeserverCalls.ProvisionUser.ADDRESS, body -> {
          HomeserverCalls.ProvisionUser call = HomeserverCalls.ProvisionUser.fromJson(body);
          return homeserver.provisionUser(call.localpart(), call.displayName());
        }),
        serve(bus, HomeserverCalls.UpsertDevice.ADDRESS, body -> {
          HomeserverCalls.UpsertDevice call = HomeserverCalls.UpsertDevice.fromJson(body);
          return homeserver.upsertDevice(call.localpart(), call.deviceId(), call.displayName());
        }),
        serve(bus, HomeserverCalls.DeleteDevices.ADDRESS, body -> {
          HomeserverCalls.DeleteDevices call = HomeserverCalls.DeleteDevices.fromJson(body);
          return homeserver.deleteDevices(call.localpart(), call.deviceIds());
        }),
        serve(bus, HomeserverCalls.AllowCrossSigningReset.ADDRESS,
            body -> homeserver.allowCrossSigningReset(HomeserverCalls.AllowCrossSigningReset.fromJson(body).localpart()))))
        .mapEmpty();
  }

  private static Future<Void> serve(EventBus bus, String address, Function<JsonObject, Future<Void>> call) {
    return bus.<JsonObject>localConsumer(address, message -> {
      Future<Void> done;
      try {
        done = call.apply(message.body());
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      done.onSuccess(v -> message.reply(new JsonObject())).onFailure(failure -> BusErrors.reply(message, failure));
    }).completion();
  }
}
