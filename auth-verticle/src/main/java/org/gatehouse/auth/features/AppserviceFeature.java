package org.gatehouse.auth.features;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.gatehouse.auth.appservice.AppserviceRegistry;
import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.matrix.AppserviceAccountRoutes;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.http.HttpEdge;

/**
 * Appservices: the registrations shared by the cluster (from the configuration and registration files, reloaded on
 * request), and their {@code /register} and {@code /login} routes.
 */
public final class AppserviceFeature {
  /** What the feature is built from. */
  public record Needs(Vertx vertx, IMap<String, String> shared, ClusterBroadcast broadcast,
                      List<AppserviceRegistration> configured, List<Path> registrationFiles, UserStore users,
                      UserIds userIds) {
  }

  private final Needs needs;
  private final AppserviceRegistry registry;

  public AppserviceFeature(Needs needs) {
    this.needs = needs;
    this.registry = new AppserviceRegistry(needs.vertx(), needs.shared(), needs.broadcast(), needs.registrationFiles());
  }

  public AppserviceRegistry registry() {
    return registry;
  }

  /** Publishes this node's registrations to the cluster and answers reload requests. */
  public Future<Void> start() {
    return registry.start(needs.configured())
        .compose(v -> needs.vertx().eventBus().<JsonObject>localConsumer(AuthAddresses.APPSERVICES_RELOAD, message ->
            registry.reload(message.body() == null ? "unknown" : message.body().getString("by", "unknown"))
                .onComplete(result -> {
                  if (result.succeeded()) {
                    message.reply(result.result());
                  } else {
                    BusErrors.reply(message, result.cause());
                  }
                })).completion());
  }

  public void mount(HttpEdge edge) {
    new AppserviceAccountRoutes(registry, needs.users(), needs.userIds()).mount(edge.router());
  }
}
