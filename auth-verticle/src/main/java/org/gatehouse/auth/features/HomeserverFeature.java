package org.gatehouse.auth.features;

import java.time.Clock;
import java.util.Optional;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.homeserver.HomeserverEndpoints;
import org.gatehouse.auth.oauth.ClientAuthenticator;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.http.HttpEdge;

/** What the homeserver asks Gatehouse over HTTP besides introspection: cross-signing reset approvals (MSC4312). */
public final class HomeserverFeature {
  /**
   * What the feature is built from.
   *
   * @param sharedSecret the introspection secret, which the homeserver also presents here
   * @param clients authenticates the homeserver's static client, as at the introspection endpoint
   */
  public record Needs(CrossSigningResets resets, UserStore users, UserIds userIds, Optional<String> sharedSecret,
                      ClientAuthenticator clients, Clock clock) {
  }

  private final Needs needs;

  public HomeserverFeature(Needs needs) {
    this.needs = needs;
  }

  public void mount(HttpEdge edge) {
    new HomeserverEndpoints(needs.resets(), needs.users(), needs.userIds(), needs.sharedSecret(), needs.clients(),
        needs.clock()).mount(edge.router());
  }
}
