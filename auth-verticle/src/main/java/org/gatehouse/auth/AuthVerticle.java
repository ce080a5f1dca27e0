package org.gatehouse.auth;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.util.List;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.accounts.SignIn;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.devicegrant.DeviceGrants;
import org.gatehouse.auth.devicegrant.GrantWakeUps;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.features.AccountsFeature;
import org.gatehouse.auth.features.AppserviceFeature;
import org.gatehouse.auth.features.DevicesFeature;
import org.gatehouse.auth.features.HomeserverFeature;
import org.gatehouse.auth.features.LegacyLoginFeature;
import org.gatehouse.auth.features.OAuthFeature;
import org.gatehouse.auth.features.PagesFeature;
import org.gatehouse.auth.features.RequesterFeature;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.auth.store.pg.PgStores;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;

/**
 * Runs the auth module on one node: builds the stores and the services several features share, then installs the
 * features in start order — token resolution and its cache, appservices, OAuth, the homeserver's endpoints, the
 * pages, the device API, the accounts service — and finally answers resolve requests.
 */
public final class AuthVerticle extends VerticleBase {
  private final AuthConfig config;
  private final ModuleContext context;

  AuthVerticle(AuthConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    Clock clock = context.clock();
    EventBus bus = vertx.eventBus();
    NodeSettings node = context.node();
    HttpEdge edge = context.edge();
    UserIds userIds = new UserIds(node.serverName());
    Stores stores = new PgStores(context.pool(), clock);
    ClusterBroadcast broadcast = context.broadcast();
    Homeserver homeserver = context.homeserver();
    AccountStatusView statuses = new AccountStatusView();
    SessionTerminator terminator = new SessionTerminator(stores, broadcast, bus, userIds, homeserver, clock);
    ClusterRateLimiter limiter = new ClusterRateLimiter(vertx, context.hazelcast(), "gatehouse.auth.ratelimits", clock);
    GrantWakeUps wakeUps = new GrantWakeUps(vertx, config.deviceGrantMaxWaiters());
    DeviceGrants deviceGrants = new DeviceGrants(stores, wakeUps, bus, userIds, config.deviceGrantLifetime(),
        config.deviceGrantInterval(), clock, homeserver);
    CrossSigningResets resets = new CrossSigningResets(stores.crossSigningResets(), bus,
        config.crossSigningResetWindow(), clock, homeserver);
    Deactivation deactivation = new Deactivation(stores.users(), terminator, broadcast, userIds, bus);

    AppserviceFeature appservices = new AppserviceFeature(new AppserviceFeature.Needs(vertx,
        context.hazelcast().getMap("gatehouse.auth.appservices"), broadcast, config.appservices(),
        config.appserviceFiles(), stores.users(), userIds));
    RequesterFeature requesters = new RequesterFeature(new RequesterFeature.Needs(vertx, broadcast, stores, statuses,
        appservices.registry(), userIds, clock));

    return requesters.start()
        .compose(v -> appservices.start())
        .compose(v -> OAuthFeature.start(new OAuthFeature.Needs(config, node, vertx, stores, terminator,
            requesters.resolver(), statuses, deviceGrants, wakeUps, limiter,
            context.hazelcast().getMap("gatehouse.auth.client-assertions"),
            List.of(PagesFeature.accountManagement(node)), homeserver, userIds, clock)))
        .compose(oauth -> vertx.executeBlocking(() -> new PasswordHasher(config.passwordCost()), false).compose(hasher -> {
          AccountCreation accountCreation = new AccountCreation(vertx, stores.users(), hasher, homeserver, userIds);
          oauth.mount(edge);
          new HomeserverFeature(new HomeserverFeature.Needs(resets, stores.users(), userIds,
              config.introspectionSecret(), oauth.clientAuthenticator(), clock)).mount(edge);
          // One password check for the sign-in page and the Matrix login API: one set of counters and meters.
          SignIn signIn = new SignIn(vertx, stores.users(), hasher, limiter, config.signInFailuresPerAccount(),
              config.signInFailuresPerAddress(), statuses, userIds, context.meters());
          LegacyLoginFeature legacy = new LegacyLoginFeature(new LegacyLoginFeature.Needs(config, config.issuer(), vertx,
              stores, statuses, terminator, signIn, homeserver, userIds, clock));
          new PagesFeature(new PagesFeature.Needs(config, node.serverName(), vertx, stores.users(), stores.clients(),
              stores.devices(), stores.codes(), statuses, terminator, deactivation, resets, deviceGrants,
              accountCreation, appservices.registry(), signIn, limiter, userIds, clock,
              legacy.sessions())).mount(edge);
          new DevicesFeature(new DevicesFeature.Needs(bus, stores.users(), stores.devices(), terminator,
              appservices.registry(), limiter, config.appserviceDeviceCreation(), homeserver, userIds)).mount(edge);
          appservices.mount(edge);
          legacy.mount(edge);
          return legacy.start().map(started -> accountCreation);
        }))
        .compose(accountCreation -> new AccountsFeature(new AccountsFeature.Needs(bus, stores.users(), stores.sessions(),
            stores.devices(), terminator, accountCreation, deactivation, userIds)).start())
        .compose(v -> wakeUps.start())
        .compose(v -> requesters.serve());
  }
}
