package org.gatehouse.auth.web;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.gatehouse.auth.compat.CompatSessions;
import org.gatehouse.auth.domain.ClientRegistrationRules;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.QueryValues;
import org.gatehouse.auth.web.view.SsoContinueView;

/**
 * The legacy SSO flow ({@code m.login.sso}) with Gatehouse's pages as the identity provider:
 * {@code GET /_matrix/client/v3/login/sso/redirect[/gatehouse]?redirectUrl=} keeps the application's URL in the
 * browser session and sends the browser to {@link #PATH}, which needs a signed-in account (the sign-in page leads
 * back). A URL under one of {@code auth.legacy_login.trusted_redirects} then gets the login token at once; any
 * other URL only after the person confirms "continue to <host>?", so the flow is no open redirect for a token: a
 * link someone else crafted cannot send a person's token to a site without that person seeing where it goes.
 */
public final class LegacySsoPage {
  public static final String PATH = "/oauth2/legacy-sso";
  private static final String PENDING = "legacy-sso:";

  private final CompatSessions sessions;
  private final List<String> trusted;
  private final Pages pages;
  private final UserIds userIds;
  private final BrowserAccountHandler account;

  public LegacySsoPage(CompatSessions sessions, List<String> trustedRedirects, BrowserAccounts accounts, Pages pages,
                       UserIds userIds) {
    this.sessions = sessions;
    this.trusted = List.copyOf(trustedRedirects);
    this.pages = pages;
    this.userIds = userIds;
    this.account = accounts.returningTo(ctx -> PATH + "?id=" + QueryValues.encode(ctx.queryParams().get("id")))
        .explainingLockWith("This account has been locked by an administrator, so it cannot sign in to applications.");
  }

  public void mount(PageRoutes routes) {
    for (String version : List.of("v3", "r0")) {
      String redirect = "/_matrix/client/" + version + "/login/sso/redirect";
      routes.get(redirect, this::start);
      routes.get(redirect + "/:idp", this::start);
    }
    routes.get(PATH, account, this::ask);
    routes.post(PATH, CsrfGuard.refusingWithMessage(pages, "Go back to the application and start again."), account,
        this::proceed);
  }

  /** Keeps where the application wants the browser back, then goes on to the account. */
  private void start(RoutingContext ctx) {
    String idp = ctx.pathParam("idp");
    if (idp != null && !idp.equals(org.gatehouse.auth.matrix.LegacyLoginRoutes.IDP_ID)) {
      pages.send(ctx, 404, new MessageView("Unknown identity provider", "This server signs in with its own pages"
          + " only. Go back to the application and choose it."));
      return;
    }
    String redirectUrl = ctx.queryParams().get("redirectUrl");
    URI target = redirectUrl == null ? null : acceptable(redirectUrl);
    if (target == null) {
      pages.send(ctx, 400, new MessageView("This sign-in cannot go back to the application",
          "The application did not say where to return, or gave an address a sign-in cannot be sent to."));
      return;
    }
    String id = UUID.randomUUID().toString();
    ctx.session().put(PENDING + id, redirectUrl);
    PageResponses.redirect(ctx, PATH + "?id=" + id);
  }

  /** A trusted destination gets the token now; any other is asked about. */
  private void ask(RoutingContext ctx) {
    String id = ctx.queryParams().get("id");
    String redirectUrl = pending(ctx.session(), id);
    if (redirectUrl == null) {
      expired(ctx);
      return;
    }
    User user = BrowserAccountHandler.user(ctx);
    if (trusted.stream().anyMatch(redirectUrl::startsWith)) {
      sendBack(ctx, id, redirectUrl, user);
      return;
    }
    pages.send(ctx, 200, new SsoContinueView(Csrf.token(ctx), id, hostOf(redirectUrl),
        userIds.of(user.localpart())));
  }

  private void proceed(RoutingContext ctx) {
    String id = ctx.request().formAttributes().get("id");
    String redirectUrl = pending(ctx.session(), id);
    if (redirectUrl == null) {
      expired(ctx);
      return;
    }
    sendBack(ctx, id, redirectUrl, BrowserAccountHandler.user(ctx));
  }

  private void sendBack(RoutingContext ctx, String id, String redirectUrl, User user) {
    ctx.session().remove(PENDING + id);
    sessions.issueLoginToken(user.id())
        .onSuccess(token -> PageResponses.redirect(ctx, redirectUrl + (redirectUrl.contains("?") ? "&" : "?")
            + "loginToken=" + QueryValues.encode(token)))
        .onFailure(ctx::fail);
  }

  private void expired(RoutingContext ctx) {
    pages.send(ctx, 400, new MessageView("This sign-in request has expired",
        "It was not started in this browser or it is too old. Go back to the application and start again."));
  }

  private static String pending(Session session, String id) {
    if (id == null || session == null) {
      return null;
    }
    Object url = session.get(PENDING + id);
    return url instanceof String s ? s : null;
  }

  /**
   * An absolute URL with a scheme a browser may be sent to with a token: web and loopback addresses, and the custom
   * schemes native apps register (with a host, as Element Desktop's {@code element://vector/webapp/}); never
   * {@code javascript:} and the like, and no fragment, after which the token would be appended to nothing.
   */
  static URI acceptable(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || ClientRegistrationRules.DANGEROUS_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT)) || uri.getRawFragment() != null
          || uri.getHost() == null && uri.getRawAuthority() == null) {
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String hostOf(String url) {
    URI uri = URI.create(url);
    String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
    return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
  }
}
