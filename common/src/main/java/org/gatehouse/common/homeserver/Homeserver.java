package org.gatehouse.common.homeserver;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientAnswer;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientRequest;

/**
 * What a module asks of the homeserver before it answers its own client. Standalone (no homeserver configured),
 * every change succeeds at once and every question of a client ({@code /versions}, {@code /capabilities}) has no
 * homeserver answer; with a homeserver, each is a request to the connector module on this node, whose
 * failures come back as Matrix errors ({@code 503} when the homeserver is away).
 */
public interface Homeserver {
  /** Whether a homeserver is kept in step (false: standalone). */
  boolean connected();

  Future<Void> checkLocalpart(String localpart);

  Future<Void> provisionUser(String localpart, String displayName);

  Future<Void> upsertDevice(String localpart, String deviceId, String displayName);

  Future<Void> deleteDevices(String localpart, List<String> deviceIds);

  Future<Void> allowCrossSigningReset(String localpart);

  /**
   * The homeserver's {@code GET /_matrix/client/versions} for {@code client}, its {@code 4xx} included; empty when
   * there is no homeserver (the caller answers alone). Fails with {@code 503} when the homeserver is away.
   */
  Future<Optional<ClientAnswer>> clientVersions(ClientRequest client);

  /** The homeserver's {@code GET /_matrix/client/v3/capabilities} for {@code client}; as {@link #clientVersions}. */
  Future<Optional<ClientAnswer>> clientCapabilities(ClientRequest client);

  /** No homeserver: nothing to keep in step. */
  static Homeserver standalone() {
    return Standalone.INSTANCE;
  }

  /**
   * The connector on this node, over the event bus; {@code timeout} must exceed the connector's own timeout
   * towards the homeserver, so the connector's clearer error arrives before the bus gives up.
   */
  static Homeserver overBus(EventBus bus, Duration timeout) {
    return new OverBus(bus, new DeliveryOptions().setSendTimeout(timeout.toMillis()));
  }

  /** Standalone mode. */
  final class Standalone implements Homeserver {
    static final Standalone INSTANCE = new Standalone();

    @Override
    public boolean connected() {
      return false;
    }

    @Override
    public Future<Void> checkLocalpart(String localpart) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> provisionUser(String localpart, String displayName) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> upsertDevice(String localpart, String deviceId, String displayName) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> deleteDevices(String localpart, List<String> deviceIds) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> allowCrossSigningReset(String localpart) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Optional<ClientAnswer>> clientVersions(ClientRequest client) {
      return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<Optional<ClientAnswer>> clientCapabilities(ClientRequest client) {
      return Future.succeededFuture(Optional.empty());
    }
  }

  /** Requests to the connector module. */
  final class OverBus implements Homeserver {
    private final EventBus bus;
    private final DeliveryOptions options;

    OverBus(EventBus bus, DeliveryOptions options) {
      this.bus = bus;
      this.options = options;
    }

    @Override
    public boolean connected() {
      return true;
    }

    @Override
    public Future<Void> checkLocalpart(String localpart) {
      return ask(HomeserverCalls.CheckLocalpart.ADDRESS, new HomeserverCalls.CheckLocalpart(localpart).toJson());
    }

    @Override
    public Future<Void> provisionUser(String localpart, String displayName) {
      return ask(HomeserverCalls.ProvisionUser.ADDRESS,
          new HomeserverCalls.ProvisionUser(localpart, displayName).toJson());
    }

    @Override
    public Future<Void> upsertDevice(String localpart, String deviceId, String displayName) {
      return ask(HomeserverCalls.UpsertDevice.ADDRESS,
          new HomeserverCalls.UpsertDevice(localpart, deviceId, displayName).toJson());
    }

    @Override
    public Future<Void> deleteDevices(String localpart, List<String> deviceIds) {
      if (deviceIds.isEmpty()) {
        return Future.succeededFuture();
      }
      return ask(HomeserverCalls.DeleteDevices.ADDRESS,
          new HomeserverCalls.DeleteDevices(localpart, deviceIds).toJson());
    }

    @Override
    public Future<Void> allowCrossSigningReset(String localpart) {
      return ask(HomeserverCalls.AllowCrossSigningReset.ADDRESS,
          new HomeserverCalls.AllowCrossSigningReset(localpart).toJson());
    }

    @Override
    public Future<Optional<ClientAnswer>> clientVersions(ClientRequest client) {
      return question(HomeserverCalls.ClientVersions.ADDRESS, new HomeserverCalls.ClientVersions(client).toJson());
    }

    @Override
    public Future<Optional<ClientAnswer>> clientCapabilities(ClientRequest client) {
      return question(HomeserverCalls.ClientCapabilities.ADDRESS,
          new HomeserverCalls.ClientCapabilities(client).toJson());
    }

    /** A client's question: it carries the client's token, which never leaves this node. */
    private Future<Optional<ClientAnswer>> question(String address, JsonObject body) {
      return bus.<JsonObject>request(address, body, new DeliveryOptions(options).setLocalOnly(true))
          .map(reply -> Optional.of(ClientAnswer.fromJson(reply.body())))
          .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)));
    }

    private Future<Void> ask(String address, JsonObject body) {
      return bus.<JsonObject>request(address, body, options)
          .<Void>mapEmpty()
          .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)));
    }
  }
}
