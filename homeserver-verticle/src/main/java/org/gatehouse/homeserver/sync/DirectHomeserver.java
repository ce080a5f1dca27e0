package org.gatehouse.homeserver.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.homeserver.HomeserverCalls;
import org.gatehouse.homeserver.HomeserverConfig;
import org.gatehouse.homeserver.outbox.Outbox;
import org.gatehouse.homeserver.synapse.SynapseClient;

/**
 * The connector's calls without a running node (the command line): the same service, called directly instead of
 * over the event bus. What it queues is sent by the next node that holds the outbox lease. The command line serves
 * no client, so it asks no client question of the homeserver ({@code /versions}, {@code /capabilities}).
 */
public final class DirectHomeserver implements Homeserver {
  private final SynapseClient synapse;
  private final HomeserverService service;

  public DirectHomeserver(Vertx vertx, HomeserverConfig config, Pool pool) {
    this.synapse = SynapseClient.of(vertx, config, Clock.systemUTC());
    this.service = new HomeserverService(synapse, new Outbox(pool, Clock.systemUTC()), config.serviceAccount());
  }

  @Override
  public boolean connected() {
    return true;
  }

  @Override
  public Future<Void> checkLocalpart(String localpart) {
    return service.checkLocalpart(new HomeserverCalls.CheckLocalpart(localpart)).mapEmpty();
  }

  @Override
  public Future<Void> provisionUser(String localpart, String displayName) {
    return service.provisionUser(new HomeserverCalls.ProvisionUser(localpart, displayName)).mapEmpty();
  }

  @Override
  public Future<Void> upsertDevice(String localpart, String deviceId, String displayName) {
    return service.upsertDevice(new HomeserverCalls.UpsertDevice(localpart, deviceId, displayName)).mapEmpty();
  }

  @Override
  public Future<Void> deleteDevices(String localpart, List<String> deviceIds) {
    return service.deleteDevices(new HomeserverCalls.DeleteDevices(localpart, deviceIds)).mapEmpty();
  }

  @Override
  public Future<Void> allowCrossSigningReset(String localpart) {
    return service.allowCrossSigningReset(new HomeserverCalls.AllowCrossSigningReset(localpart)).mapEmpty();
  }

  @Override
  public Future<Optional<HomeserverCalls.ClientAnswer>> clientVersions(HomeserverCalls.ClientRequest client) {
    return Future.succeededFuture(Optional.empty());
  }

  @Override
  public Future<Optional<HomeserverCalls.ClientAnswer>> clientCapabilities(HomeserverCalls.ClientRequest client) {
    return Future.succeededFuture(Optional.empty());
  }

  public void close() {
    synapse.close();
  }
}
