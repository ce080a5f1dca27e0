package org.gatehouse.auth.features;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.List;
import org.gatehouse.auth.AuthConfig;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.appservice.AppserviceRegistry;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.compat.CompatSessions;
import org.gatehouse.auth.devicegrant.DeviceGrants;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.oauth.Discovery;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.AuthorizationCodeStore;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.auth.web.AccountPage;
import org.gatehouse.auth.web.AddressLimit;
import org.gatehouse.auth.web.AuthorizeEndpoint;
import org.gatehouse.auth.web.BrowserAccounts;
import org.gatehouse.auth.web.ConsentPage;
import org.gatehouse.auth.web.DeviceLinkPage;
import org.gatehouse.auth.web.LegacySsoPage;
import org.gatehouse.auth.web.PageRoutes;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.accounts.SignIn;
import org.gatehouse.auth.web.SignInPage;
import org.gatehouse.auth.web.SignUpPage;
import org.gatehouse.auth.web.WebFailures;
import org.gatehouse.auth.web.WebSessions;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;

/**
 * The browser pages, all in the browser session: the authorization endpoint and consent, sign-in and sign-out,
 * sign-up (when self-registration is on), the device-link page, account management, the legacy SSO pages, and
 * their assets.
 */
public final class PagesFeature {
  /** What the feature is built from. */
  public record Needs(AuthConfig config, String serverName, Vertx vertx, UserStore users, ClientStore clients,
                      DeviceStore devices, AuthorizationCodeStore codes, AccountStatusView statuses,
                      SessionTerminator terminator, Deactivation deactivation, CrossSigningResets resets,
                      DeviceGrants deviceGrants, AccountCreation accountCreation, AppserviceRegistry appservices,
                      SignIn signIn, ClusterRateLimiter limiter, UserIds userIds,
                      Clock clock, CompatSessions compatSessions) {
  }

  private final Needs needs;

  public PagesFeature(Needs needs) {
    this.needs = needs;
  }

  /** What the pages add to the server metadata: where accounts are managed, and how. */
  public static Discovery.Contributor accountManagement(NodeSettings node) {
    return metadata -> metadata.put("account_management_uri", node.url(AccountPage.PATH))
        .put("account_management_actions_supported", new JsonArray(AccountPage.ACTIONS));
  }

  public void mount(HttpEdge edge) {
    AuthConfig config = needs.config();
    Router router = edge.router();
    Clock clock = needs.clock();
    Vertx vertx = needs.vertx();
    ClusterRateLimiter limiter = needs.limiter();
    Pages pages = new Pages(needs.serverName());
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
    SignIn signIn = needs.signIn();
    AuthorizeEndpoint authorize = new AuthorizeEndpoint(needs.clients(), pages, needs.userIds(), config.issuer(), clock);
    new PageRoutes(router, authorizing, failures).get(AuthPaths.AUTHORIZE, authorize::handle);
    // Each page mounts its routes with its guards (the signed-in account, CSRF on every POST).
    PageRoutes routes = new PageRoutes(router, session, failures);
    BrowserAccounts accounts = new BrowserAccounts(needs.users(), needs.statuses(), needs.userIds(), pages);
    new ConsentPage(needs.clients(), accounts, needs.codes(), authorize, pages, needs.userIds(), config.issuer(),
        config.selfRegistration(), config.authorizationCodeLifetime(), clock).mount(routes);
    new SignInPage(signIn, pages, config.selfRegistration(), clock).mount(routes);
    new DeviceLinkPage(needs.deviceGrants(), needs.clients(), accounts, limiter, config.pageLimits().wrongCodesPerAddress(),
        config.pageLimits().wrongCodesCluster(), pages, needs.userIds(), clock).mount(routes);
    new AccountPage(accounts, needs.clients(), needs.devices(), needs.terminator(), needs.deactivation(), needs.resets(),
        pages, needs.userIds(), clock).mount(routes);
    if (config.selfRegistration()) {
      new SignUpPage(needs.accountCreation(), limiter, pages,
          localpart -> needs.appservices().current().exclusiveOwnerOf(needs.userIds().of(localpart)).isPresent(), clock)
          .mount(routes);
    }
    if (config.legacyLogin().sso()) {
      new LegacySsoPage(needs.compatSessions(), config.legacyLogin().trustedRedirects(), accounts, pages,
          needs.userIds()).mount(routes);
    }
    router.get(AuthPaths.ASSETS + "*").handler(StaticHandler.create("webroot").setMaxAgeSeconds(86400));
  }
}
