package org.gatehouse.auth;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.crosssigning.HomeserverEndpoints;
import org.gatehouse.auth.devicegrant.DeviceGrantStore;
import org.gatehouse.auth.devicegrant.DeviceGrants;
import org.gatehouse.auth.devicegrant.GrantWakeUps;
import org.gatehouse.auth.devicegrant.PgDeviceGrantStore;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.oauth.DeviceAuthorizationEndpoint;
import org.gatehouse.auth.oauth.grants.DeviceCodeGrant;
import org.gatehouse.auth.web.AccountPage;
import org.gatehouse.auth.web.AddressLimit;
import org.gatehouse.auth.web.BrowserAccounts;
import org.gatehouse.auth.web.DeviceLinkPage;
import org.gatehouse.auth.appservice.AppserviceAccountRoutes;
import org.gatehouse.auth.appservice.AppserviceRegistry;
import org.gatehouse.auth.appservice.AppserviceRequesters;
import org.gatehouse.auth.accounts.AccountService;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.crypto.SigningKeyLoader;
import org.gatehouse.auth.crypto.SigningKeys;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.matrix.DeviceRoutes;
import org.gatehouse.auth.matrix.DeviceWriteRoutes;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.oauth.ClientAuthenticator;
import org.gatehouse.auth.oauth.Discovery;
import org.gatehouse.auth.oauth.IdTokens;
import org.gatehouse.auth.oauth.IntrospectionEndpoint;
import org.gatehouse.auth.oauth.OAuthErrorRenderer;
import org.gatehouse.auth.oauth.RegistrationEndpoint;
import org.gatehouse.auth.oauth.RevocationEndpoint;
import org.gatehouse.auth.oauth.TokenEndpoint;
import org.gatehouse.auth.oauth.UserInfoEndpoint;
import org.gatehouse.auth.oauth.grants.AuthorizationCodeGrant;
import org.gatehouse.auth.oauth.grants.GrantHandler;
import org.gatehouse.auth.oauth.grants.RefreshTokenGrant;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.requester.TokenCache;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.auth.store.pg.PgClientStore;
import org.gatehouse.auth.store.pg.PgDeviceStore;
import org.gatehouse.auth.store.pg.PgSessionStore;
import org.gatehouse.auth.store.pg.PgSigningKeyStore;
import org.gatehouse.auth.store.pg.PgUserStore;
import org.gatehouse.auth.web.AuthorizeEndpoint;
import org.gatehouse.auth.web.ConsentPage;
import org.gatehouse.auth.web.PageRoutes;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.SignIn;
import org.gatehouse.auth.web.SignInPage;
import org.gatehouse.auth.web.SignUpPage;
import org.gatehouse.auth.web.WebFailures;
import org.gatehouse.auth.web.WebSessions;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.common.ratelimit.ClusterRateLimiter;

/**
 * Runs the auth module on one node: stores, the requester resolver and its cache, the facts that keep every
 * node's cache true, and the OAuth, page and Matrix routes on the shared edge.
 */
public final class AuthVerticle extends VerticleBase {
  static final int TOKEN_CACHE_ENTRIES = 200_000;

  private final AuthConfig config;
  private final ModuleContext context;

  AuthVerticle(AuthConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  @Override
  public Future<?> start() {
    Pool pool = context.pool();
    Clock clock = context.clock();
    UserIds userIds = new UserIds(context.node().serverName());
    UserStore users = new PgUserStore(pool, clock);
    ClientStore clients = new PgClientStore(pool, clock);
    DeviceStore devices = new PgDeviceStore(pool, clock);
    SessionStore sessions = new PgSessionStore(pool, clock);
    ClusterBroadcast broadcast = context.broadcast();
    TokenCache cache = new TokenCache(TOKEN_CACHE_ENTRIES);
    AccountStatusView statuses = new AccountStatusView();
    Homeserver homeserver = context.homeserver();
    SessionTerminator terminator = new SessionTerminator(pool, sessions, devices, broadcast, vertx.eventBus(), userIds,
        homeserver);
    RequesterResolver resolver = new RequesterResolver(sessions, devices, cache, statuses, userIds, clock);
    AppserviceRegistry appservices = new AppserviceRegistry(vertx, context.hazelcast().getMap(
        "gatehouse.auth.appservices"), broadcast, config.appserviceFiles());
    resolver.resolveOtherTokensWith(new AppserviceRequesters(appservices, users, devices, statuses, userIds, clock));
    vertx.setPeriodic(30_000, t -> cache.sweep(clock.instant()));

    return broadcast.consume(AuthFacts.SessionEnded.ADDRESS, body -> {
          AuthFacts.SessionEnded.fromJson(body).sessions().forEach(s -> cache.invalidate(s.tokenHashes()));
          return Future.succeededFuture();
        }).completion()
        .compose(v -> broadcast.consume(AuthFacts.AccessTokensRevoked.ADDRESS, body -> {
          cache.invalidate(AuthFacts.AccessTokensRevoked.fromJson(body).tokenHashes());
          return Future.succeededFuture();
        }).completion())
        .compose(v -> broadcast.consume(AuthFacts.AccountChanged.ADDRESS, body -> {
          cache.invalidateUser(userIds.localpartOf(AuthFacts.AccountChanged.fromJson(body).userId()));
          return Future.succeededFuture();
        }).completion())
        .compose(v -> statuses.start(vertx, broadcast))
        .compose(v -> appservices.start(config.appservices()))
        .compose(v -> vertx.eventBus().<JsonObject>localConsumer(AuthAddresses.APPSERVICES_RELOAD, message ->
            appservices.reload(message.body() == null ? "unknown" : message.body().getString("by", "unknown"))
                .onComplete(result -> {
                  if (result.succeeded()) {
                    message.reply(result.result());
                  } else {
                    BusErrors.reply(message, result.cause());
                  }
                })).completion())
        .compose(v -> upsertStaticClients(clients))
        .compose(v -> SigningKeyLoader.load(vertx, config.signingKeysFile(), new PgSigningKeyStore(pool, clock)))
        .compose(keys -> vertx.executeBlocking(() -> new PasswordHasher(config.passwordCost()), false)
            .map(hasher -> {
              Parts parts = new Parts(userIds, users, clients, devices, sessions, statuses, terminator, resolver, keys,
                  hasher, appservices, new Deactivation(users, terminator, broadcast, userIds, vertx.eventBus()), new GrantWakeUps(vertx, config.deviceGrantMaxWaiters()),
                  homeserver, vertx);
              mountRoutes(parts);
              return parts;
            }))
        .compose(parts -> new AccountService(users, sessions, devices, terminator,
            parts.accountCreation(), parts.deactivation(), userIds)
            .register(vertx.eventBus()).map(parts))
        .compose(parts -> parts.wakeUps().start().map(parts))
        .compose(parts -> resolver.register(vertx.eventBus()).completion());
  }

  /** Everything the routes are built from. */
  record Parts(UserIds userIds, UserStore users, ClientStore clients, DeviceStore devices, SessionStore sessions,
               AccountStatusView statuses, SessionTerminator terminator, RequesterResolver resolver, SigningKeys keys,
               PasswordHasher hasher, AppserviceRegistry appservices, Deactivation deactivation,
               GrantWakeUps wakeUps, Homeserver homeserver, io.vertx.core.Vertx vertx) {
    AccountCreation accountCreation() {
      return new AccountCreation(vertx, users, hasher, homeserver, userIds);
    }
  }

  private Future<Void> upsertStaticClients(ClientStore clients) {
    List<Future<Void>> upserts = new ArrayList<>();
    for (AuthConfig.StaticClient client : config.staticClients()) {
      upserts.add(clients.upsertStatic(client, client.secret() == null ? null : Digests.sha256(client.secret())));
    }
    return Future.all(upserts).mapEmpty();
  }

  private void mountRoutes(Parts p) {
    Router router = context.edge().router();
    Clock clock = context.clock();
    var node = context.node();
    context.edge().cors().cover("/oauth2/", List.of(), List.of());
    context.edge().renderErrorsUnder("/oauth2/", OAuthErrorRenderer::handleFailure);
    ClusterRateLimiter limiter = new ClusterRateLimiter(vertx, context.hazelcast(), "gatehouse.auth.ratelimits", clock);
    IMap<String, Boolean> usedAssertions = context.hazelcast().getMap("gatehouse.auth.client-assertions");
    List<String> audiences = List.of(config.issuer(), node.url(AuthPaths.TOKEN), node.url(AuthPaths.REVOKE),
        node.url(AuthPaths.INTROSPECT));
    ClientAuthenticator clientAuth = new ClientAuthenticator(vertx, p.clients(), usedAssertions, audiences, clock);
    IdTokens idTokens = new IdTokens(config.issuer(), p.keys(), config.idTokenAlgorithm(), clock);

    DeviceGrantStore deviceGrantStore = new PgDeviceGrantStore(context.pool(), clock);
    DeviceGrants deviceGrants = new DeviceGrants(context.pool(), deviceGrantStore, p.devices(), p.wakeUps(),
        vertx.eventBus(), p.userIds(), config.deviceGrantLifetime(), config.deviceGrantInterval(), clock, p.clients(),
        p.homeserver());
    new Discovery(config.issuer(), node, config.selfRegistration(), List.of(
        metadata -> metadata.put("device_authorization_endpoint", node.url(DeviceAuthorizationEndpoint.PATH))
            .put("grant_types_supported", metadata.getJsonArray("grant_types_supported").copy().add(GrantTypes.DEVICE_CODE)),
        metadata -> metadata.put("account_management_uri", node.url(AccountPage.PATH))
            .put("account_management_actions_supported", new JsonArray(AccountPage.ACTIONS)))).mount(router);
    List<GrantHandler> grants = List.of(
        new AuthorizationCodeGrant(context.pool(), p.sessions(), p.devices(), p.terminator(), idTokens, vertx.eventBus(),
            p.userIds(), config.accessTokenLifetime(), clock, p.users(), p.homeserver()),
        new RefreshTokenGrant(context.pool(), p.sessions(), p.terminator(), config.accessTokenLifetime(),
            config.refreshTokenReissueWindow(), clock),
        new DeviceCodeGrant(context.pool(), deviceGrantStore, p.sessions(), p.wakeUps(), config.accessTokenLifetime(),
            clock, p.users(), p.homeserver(), p.statuses(), p.userIds()));
    oauth(router.post(DeviceAuthorizationEndpoint.PATH), new DeviceAuthorizationEndpoint(clientAuth, deviceGrants,
        limiter, node)::handle);
    CrossSigningResets resets = new CrossSigningResets(context.pool(), vertx.eventBus(), config.crossSigningResetWindow(),
        clock, p.homeserver());
    new HomeserverEndpoints(resets, p.users(), p.userIds(), config.introspectionSecret(), clientAuth, clock).mount(router);
    oauth(router.post(AuthPaths.TOKEN), new TokenEndpoint(clientAuth, grants)::handle);
    oauth(router.post(AuthPaths.REGISTER), new RegistrationEndpoint(p.clients(), limiter, clock)::handle);
    oauth(router.post(AuthPaths.REVOKE), new RevocationEndpoint(clientAuth, p.sessions(), p.terminator())::handle);
    oauth(router.post(AuthPaths.INTROSPECT), new IntrospectionEndpoint(clientAuth, config.introspectionSecret(),
        p.resolver(), p.sessions(), p.statuses(), p.userIds(), clock,
        node.homeserver().map(NodeSettings.HomeserverLink::serviceTokens))::handle);
    String jwks = new JsonObject(p.keys().publicJwks()).encode();
    router.get(AuthPaths.JWKS).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=3600").end(jwks));
    UserInfoEndpoint userInfo = new UserInfoEndpoint(p.resolver(), p.statuses(), p.userIds(), clock);
    router.route(AuthPaths.USERINFO).method(HttpMethod.GET).method(HttpMethod.POST).handler(userInfo::handle);

    Pages pages = new Pages(node.serverName());
    WebFailures failures = new WebFailures(pages);
    // Every page runs in the browser session; a request that would start one pays for it before the page runs.
    Handler<RoutingContext> browserSession = WebSessions.handler(vertx, config.webSessionIdleTimeout(),
        config.anonymousWebSessionIdleTimeout());
    List<Handler<RoutingContext>> session = List.of(browserSession,
        AddressLimit.newSessions(limiter, config.pageLimits().newSession(), pages));
    // The authorization endpoint is counted before the session is even looked up.
    List<Handler<RoutingContext>> authorizing = List.of(
        AddressLimit.everyRequest(limiter, "authorize", config.pageLimits().authorize(), pages), session.get(0),
        session.get(1));
    SignIn signIn = new SignIn(vertx, p.users(), p.hasher(), limiter, config.signInFailuresPerAccount(),
        config.signInFailuresPerAddress(), p.statuses(), p.userIds(), context.meters());
    AuthorizeEndpoint authorize = new AuthorizeEndpoint(p.clients(), pages, p.userIds(), config.issuer(), clock);
    new PageRoutes(router, authorizing, failures).get(AuthPaths.AUTHORIZE, authorize::handle);
    // Each page mounts its routes with its guards (the signed-in account, CSRF on every POST).
    PageRoutes routes = new PageRoutes(router, session, failures);
    BrowserAccounts accounts = new BrowserAccounts(p.users(), p.statuses(), p.userIds(), pages);
    new ConsentPage(p.clients(), accounts, p.sessions(), authorize, pages, p.userIds(), config.issuer(),
        config.selfRegistration(), config.authorizationCodeLifetime(), clock).mount(routes);
    new SignInPage(signIn, pages, config.selfRegistration(), clock).mount(routes);
    new DeviceLinkPage(deviceGrants, p.clients(), accounts, limiter, config.pageLimits().wrongCodesPerAddress(),
        config.pageLimits().wrongCodesCluster(), pages, p.userIds(), clock).mount(routes);
    new AccountPage(accounts, p.clients(), p.devices(), p.terminator(), p.deactivation(), resets, pages, p.userIds(),
        clock).mount(routes);
    if (config.selfRegistration()) {
      new SignUpPage(p.accountCreation(), limiter, pages,
          localpart -> p.appservices().current().exclusiveOwnerOf(p.userIds().of(localpart)).isPresent(), clock)
          .mount(routes);
    }
    router.get(AuthPaths.ASSETS + "*").handler(StaticHandler.create("webroot").setMaxAgeSeconds(86400));

    Authenticator authenticator = new Authenticator(vertx.eventBus());
    DeviceRoutes deviceReads = new DeviceRoutes(authenticator, p.users(), p.devices(), p.userIds());
    deviceReads.mount(router);
    new DeviceWriteRoutes(authenticator, deviceReads, p.devices(), p.terminator(), p.appservices(), limiter,
        config.appserviceDeviceCreation(), context.pool(), vertx.eventBus(), p.homeserver()).mount(router);
    new AppserviceAccountRoutes(p.appservices(), p.users(), p.userIds()).mount(router);
  }

  private static void oauth(io.vertx.ext.web.Route route, Handler<RoutingContext> handler) {
    route.handler(handler).failureHandler(OAuthErrorRenderer::handleFailure);
  }
}
