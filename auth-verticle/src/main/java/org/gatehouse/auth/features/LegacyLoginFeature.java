package org.gatehouse.auth.features;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.gatehouse.auth.AuthConfig;
import org.gatehouse.auth.accounts.SignIn;
import org.gatehouse.auth.compat.CompatSessions;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.matrix.LegacyLoginRoutes;
import org.gatehouse.auth.oauth.grants.RefreshTokenGrant;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.HttpEdge;

/**
 * The legacy Matrix login API on compatibility sessions: {@code /login}, {@code /logout}, {@code /logout/all},
 * {@code /refresh}. Its reserved client is put in place at start.
 */
public final class LegacyLoginFeature {
  /** What the feature is built from. */
  /** @param signIn the sign-in page's password check, so guesses on either are counted on the same buckets */
  public record Needs(AuthConfig config, String issuer, Vertx vertx, Stores stores, AccountStatusView statuses,
                      SessionTerminator terminator, SignIn signIn, Homeserver homeserver, UserIds userIds,
                      Clock clock) {
  }

  private final Needs needs;
  private final CompatSessions sessions;

  public LegacyLoginFeature(Needs needs) {
    this.needs = needs;
    this.sessions = new CompatSessions(needs.stores(), needs.homeserver(), needs.vertx().eventBus(), needs.userIds(),
        needs.config().accessTokenLifetime(), needs.clock());
  }

  /** The sessions, for the SSO pages that hand out login tokens. */
  public CompatSessions sessions() {
    return sessions;
  }

  public Future<LegacyLoginFeature> start() {
    return sessions.registerClient(needs.issuer()).map(this);
  }

  public void mount(HttpEdge edge) {
    AuthConfig config = needs.config();
    RefreshTokenGrant refresh = new RefreshTokenGrant(needs.stores(), needs.terminator(), config.accessTokenLifetime(),
        config.refreshTokenReissueWindow(), needs.clock());
    new LegacyLoginRoutes(config.legacyLogin(), needs.statuses(), needs.signIn(), sessions, refresh, needs.stores().clients(),
        needs.stores().users(), needs.terminator(), new Authenticator(needs.vertx().eventBus()), needs.userIds(),
        needs.clock()).mount(edge.router());
  }
}
