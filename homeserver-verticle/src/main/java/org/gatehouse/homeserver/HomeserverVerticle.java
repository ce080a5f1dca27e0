package org.gatehouse.homeserver;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.homeserver.HomeserverCalls;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.homeserver.discovery.ClientDiscovery;
import org.gatehouse.homeserver.outbox.Outbox;
import org.gatehouse.homeserver.outbox.OutboxMetrics;
import org.gatehouse.homeserver.outbox.OutboxWorker;
import org.gatehouse.homeserver.sync.HomeserverService;
import org.gatehouse.homeserver.sync.HomeserverUsers;
import org.gatehouse.homeserver.sync.QueuedCalls;
import org.gatehouse.homeserver.sync.Reconciliation;
import org.gatehouse.homeserver.synapse.SynapseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the homeserver in step on this node: serves the requests other modules make before they answer
 * ({@link HomeserverCalls}), turns the facts they announce into queued calls, and, while this node holds the
 * outbox lease, sends the queued calls. It talks to the other modules over the event bus only.
 */
public final class HomeserverVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HomeserverVerticle.class);

  private final HomeserverConfig config;
  private final ModuleContext context;
  private SynapseClient synapse;
  private OutboxWorker worker;

  HomeserverVerticle(HomeserverConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    synapse = SynapseClient.of(vertx, config, context.clock());
    Outbox outbox = new Outbox(context.pool(), context.clock());
    HomeserverUsers users = new HomeserverUsers(context.node().serverName());
    HomeserverService service = new HomeserverService(synapse, outbox, config.serviceAccount());
    worker = new OutboxWorker(vertx, outbox, new QueuedCalls(synapse, new Reconciliation(bus, synapse, outbox, users)),
        new OutboxMetrics(context.meters(), context.clock()), config.outbox(), context.members().localNodeId());

    serve(bus, HomeserverCalls.CheckLocalpart.ADDRESS, b -> service.checkLocalpart(HomeserverCalls.CheckLocalpart.fromJson(b)));
    serve(bus, HomeserverCalls.ProvisionUser.ADDRESS, b -> service.provisionUser(HomeserverCalls.ProvisionUser.fromJson(b)));
    serve(bus, HomeserverCalls.UpsertDevice.ADDRESS, b -> service.upsertDevice(HomeserverCalls.UpsertDevice.fromJson(b)));
    serve(bus, HomeserverCalls.DeleteDevices.ADDRESS, b -> service.deleteDevices(HomeserverCalls.DeleteDevices.fromJson(b)));
    serve(bus, HomeserverCalls.AllowCrossSigningReset.ADDRESS,
        b -> service.allowCrossSigningReset(HomeserverCalls.AllowCrossSigningReset.fromJson(b)));
    serve(bus, HomeserverCalls.Reconcile.ADDRESS, b -> service.reconcile(HomeserverCalls.Reconcile.fromJson(b)));
    ClientDiscovery discovery = new ClientDiscovery(synapse, config.discoveryCache(), context.clock(),
        context.node().publicBaseUrl().getScheme());
    serve(bus, HomeserverCalls.ClientVersions.ADDRESS,
        b -> discovery.versions(HomeserverCalls.ClientVersions.fromJson(b)));
    serve(bus, HomeserverCalls.ClientCapabilities.ADDRESS,
        b -> discovery.capabilities(HomeserverCalls.ClientCapabilities.fromJson(b)));

    // Facts of this node only (local consumers): each becomes exactly one queued call across the cluster.
    // The fact is the whole status, not what changed: both calls are sent, and both are idempotent. The lock is
    // informational at Synapse (its user directory); the suspension is what Synapse enforces.
    follow(bus, AdminAddresses.ACCOUNT_STATUS_CHANGED, body -> {
      AccountStatus status = AccountStatus.fromJson(body);
      String localpart = users.localpartOf(status.userId());
      return localpart == null ? Future.succeededFuture() : service.queue("provision_user", localpart,
              new JsonObject().put("localpart", localpart).put("locked", status.locked()))
          .compose(queued -> service.queue(SynapseClient.SUSPEND, localpart,
              new JsonObject().put("user_id", status.userId()).put("suspend", status.suspended())));
    });
    follow(bus, AuthFacts.AccountDeactivated.ADDRESS, body -> {
      String localpart = users.localpartOf(AuthFacts.AccountDeactivated.fromJson(body).userId());
      return localpart == null ? Future.succeededFuture() : service.queue("delete_user", localpart,
          new JsonObject().put("localpart", localpart).put("erase", config.eraseOnDeactivation()));
    });
    follow(bus, AuthFacts.DisplayNameChanged.ADDRESS, body -> {
      AuthFacts.DisplayNameChanged changed = AuthFacts.DisplayNameChanged.fromJson(body);
      String localpart = users.localpartOf(changed.userId());
      if (localpart == null) {
        return Future.succeededFuture();
      }
      return changed.displayName() == null
          ? service.queue("unset_displayname", localpart, new JsonObject().put("localpart", localpart))
          : service.queue("set_displayname", localpart, new JsonObject().put("localpart", localpart)
              .put("displayname", changed.displayName()));
    });
    follow(bus, AuthFacts.DeviceRenamed.ADDRESS, body -> {
      AuthFacts.DeviceRenamed renamed = AuthFacts.DeviceRenamed.fromJson(body);
      String localpart = users.localpartOf(renamed.userId());
      return localpart == null || renamed.displayName() == null ? Future.succeededFuture()
          : service.queue("update_device_display_name", localpart, new JsonObject().put("localpart", localpart)
              .put("device_id", renamed.deviceId()).put("display_name", renamed.displayName()));
    });

    // The service account must exist at the homeserver before its tokens are taken there; provisioning is
    // idempotent, and queued so a homeserver that is not up yet gets it when it is.
    Future<Void> serviceAccount = outbox.add("provision_user", config.serviceAccount(), new JsonObject()
            .put("localpart", config.serviceAccount()).put("set_displayname", "Gatehouse"))
        .otherwise(failure -> {
          LOG.warn("could not queue the provisioning of the service account {}: {}", config.serviceAccount(),
              failure.getMessage());
          return null;
        });
    Future<Boolean> reconcile = config.reconcileOnStart()
        ? outbox.addReconcile(new JsonObject().put("by", "start")).otherwise(failure -> {
          LOG.warn("could not queue the start-up reconciliation with the homeserver: {}", failure.getMessage());
          return false;
        })
        : Future.succeededFuture(false);
    return Future.all(serviceAccount, reconcile).onSuccess(queued -> {
      worker.start();
      LOG.info("keeping the homeserver at {} in step ({})", config.endpoint(), config.kind().name().toLowerCase());
    });
  }

  @Override
  public Future<?> stop() {
    return worker.stop().onComplete(done -> synapse.close());
  }

  private static void serve(EventBus bus, String address, Function<JsonObject, Future<JsonObject>> handler) {
    bus.<JsonObject>localConsumer(address, message -> {
      Future<JsonObject> answer;
      try {
        answer = handler.apply(message.body());
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onSuccess(message::reply).onFailure(failure -> BusErrors.reply(message, failure));
    });
  }

  private static void follow(EventBus bus, String address, Function<JsonObject, Future<Void>> handler) {
    bus.<JsonObject>localConsumer(address, message -> handler.apply(message.body())
        .onFailure(failure -> LOG.error("lost a change for the homeserver from {}: {}", address, failure.getMessage())));
  }
}
