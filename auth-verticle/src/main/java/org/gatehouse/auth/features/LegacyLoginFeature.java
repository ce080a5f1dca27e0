package org.gatehouse.auth.features;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.gatehouse.auth.AuthConfig;
import org.gatehouse.auth.accounts.SignIn;
import org.gatehouse.auth.compat.CompatSessions;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.matrix.LegacyLoginRoutes;
import org.gatehouse.auth.oauth.grants.RefreshTokenGrant;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;

/**
 * The legacy Matrix login API on compatibility sessions: {@code /login}, {@code /logout}, {@code /logout/all},
 * {@code /refresh}. Its reserved client is put in place at start.
 */
public final class LegacyLoginFeature {
  /** What the feature is built from. */
  public record Needs(AuthConfig config, String issuer, Vertx vertx, Stores stores, AccountStatusView statuses,
                      SessionTerminator terminator, PasswordHasher hasher, ClusterRateLimiter limiter,
                      Homeserver homeserver, MeterRegistry meters, UserIds userIds, Clock clock) {
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
    // The sign-in page's own limits, on the same cluster-wide buckets: a guesser gains nothing by switching API.
    SignIn signIn = new SignIn(needs.vertx(), needs.stores().users(), needs.hasher(), needs.limiter(),
        config.signInFailuresPerAccount(), config.signInFailuresPerAddress(), needs.statuses(), needs.userIds(),
        needs.meters());
    RefreshTokenGrant refresh = new RefreshTokenGrant(needs.stores(), needs.terminator(), config.accessTokenLifetime(),
        config.refreshTokenReissueWindow(), needs.clock());
    new LegacyLoginRoutes(config.legacyLogin(), needs.statuses(), signIn, sessions, refresh, needs.stores().clients(),
        needs.stores().users(), needs.terminator(), new Authenticator(needs.vertx().eventBus()), needs.userIds(),
        needs.clock()).mount(edge.router());
  }
}
