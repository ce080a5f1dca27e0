package org.gatehouse.auth.features;

import io.vertx.core.eventbus.EventBus;
import org.gatehouse.auth.appservice.AppserviceRegistry;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.matrix.DeviceRoutes;
import org.gatehouse.auth.matrix.DeviceWriteRoutes;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/** The Matrix device API: {@code whoami}, listing, renaming and deleting devices, and appservice-created devices. */
public final class DevicesFeature {
  /**
   * What the feature is built from.
   *
   * @param appserviceDeviceCreation how fast one appservice may create devices
   */
  public record Needs(EventBus bus, UserStore users, DeviceStore devices, SessionTerminator terminator,
                      AppserviceRegistry appservices, ClusterRateLimiter limiter, RateLimit appserviceDeviceCreation,
                      Homeserver homeserver, UserIds userIds) {
  }

  private final Needs needs;

  public DevicesFeature(Needs needs) {
    this.needs = needs;
  }

  public void mount(HttpEdge edge) {
    Authenticator authenticator = new Authenticator(needs.bus());
    DeviceRoutes reads = new DeviceRoutes(authenticator, needs.users(), needs.devices(), needs.userIds());
    reads.mount(edge.router());
    new DeviceWriteRoutes(authenticator, reads, needs.devices(), needs.terminator(), needs.appservices(),
        needs.limiter(), needs.appserviceDeviceCreation(), needs.bus(), needs.homeserver()).mount(edge.router());
  }
}
