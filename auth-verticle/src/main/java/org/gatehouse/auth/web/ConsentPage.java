package org.gatehouse.auth.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.store.AuthorizationCodeStore;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.web.view.ConsentView;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.QueryValues;

/**
 * {@code /oauth2/consent}: shows the signed-in user which application asks for what (its name, site, logo, the
 * device it will create) and, on an explicit POST with the CSRF token, sends the browser back to the client with
 * an authorization code — or with {@code access_denied}.
 *
 * <p>Each route first finds the authorization request waiting in this browser session (the {@code id} of the query
 * or form), then the account ({@link BrowserAccountHandler}): a request with {@code prompt=login} wants a sign-in
 * after it was made, one with {@code prompt=create} is sent to sign up when self-registration is open.
 */
public final class ConsentPage {
  private static final String REQUEST = "gatehouse.authorization_request";

  private final ClientStore clients;
  private final AuthorizationCodeStore codes;
  private final AuthorizeEndpoint authorize;
  private final Pages pages;
  private final UserIds userIds;
  private final String issuer;
  private final Duration codeLifetime;
  private final Clock clock;
  private final BrowserAccountHandler account;

  public ConsentPage(ClientStore clients, BrowserAccounts accounts, AuthorizationCodeStore codes,
                     AuthorizeEndpoint authorize, Pages pages, UserIds userIds, String issuer, boolean selfRegistration,
                     Duration codeLifetime, Clock clock) {
    this.clients = clients;
    this.codes = codes;
    this.authorize = authorize;
    this.pages = pages;
    this.userIds = userIds;
    this.issuer = issuer;
    this.codeLifetime = codeLifetime;
    this.clock = clock;
    this.account = accounts.returningTo(ConsentPage::here)
        .signedInSince(ctx -> request(ctx).prompts("login") ? request(ctx).createdAt() : null)
        .signingInAt(ctx -> signIn(ctx, selfRegistration))
        .explainingLockWith("This account has been locked by an administrator, so it cannot sign in to applications.");
  }

  public void mount(PageRoutes routes) {
    routes.get(AuthPaths.CONSENT, pending(ctx -> ctx.queryParams().get("id")), account, this::show);
    routes.post(AuthPaths.CONSENT, CsrfGuard.refusingWithMessage(pages, "Go back to the application and start again."),
        pending(ctx -> ctx.request().formAttributes().get("id")), account, this::submit);
  }

  /** Finds the request named by {@code id} in this browser session, or answers that it expired. */
  private Handler<RoutingContext> pending(Function<RoutingContext, String> id) {
    return ctx -> {
      AuthorizationRequest request = PendingRequests.get(ctx.session(), id.apply(ctx));
      if (request == null) {
        pages.send(ctx, 400, new MessageView("This sign-in request has expired",
            "It was not started in this browser or it is too old. Go back to the application and start again."));
      } else {
        ctx.put(REQUEST, request);
        ctx.next();
      }
    };
  }

  private static AuthorizationRequest request(RoutingContext ctx) {
    return ctx.get(REQUEST);
  }

  private static String here(RoutingContext ctx) {
    return AuthPaths.CONSENT + "?id=" + request(ctx).id();
  }

  /** Sign-up for {@code prompt=create} (when open), else sign-in with the client's login hint. */
  private static String signIn(RoutingContext ctx, boolean selfRegistration) {
    AuthorizationRequest request = request(ctx);
    String here = here(ctx);
    if (request.prompts("create") && selfRegistration) {
      return AuthPaths.SIGN_UP + "?next=" + QueryValues.encode(here);
    }
    return AuthPaths.LOGIN + "?next=" + QueryValues.encode(here)
        + (request.loginHint() == null ? "" : "&hint=" + QueryValues.encode(request.loginHint()));
  }

  void show(RoutingContext ctx) {
    AuthorizationRequest request = request(ctx);
    clients.byId(request.clientId())
        .onSuccess(client -> render(ctx, request, client.orElseThrow(), BrowserAccountHandler.user(ctx)))
        .onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, AuthorizationRequest request, Client client, User user) {
    Scope scope = Scope.parse(request.scope());
    if (scope.admin() && !user.admin()) {
      PendingRequests.remove(ctx.session(), request.id());
      PageResponses.redirect(ctx, authorize.errorRedirect(request.redirectUri(), request.responseMode(), request.state(),
          OAuthError.invalidScope("only administrators can grant " + Scope.ADMIN)));
      return;
    }
    List<Locale.LanguageRange> languages = languages(ctx);
    var metadata = client.metadata();
    pages.send(ctx, 200, new ConsentView(Csrf.token(ctx), request.id(), metadata.name(languages),
        metadata.clientUri(), metadata.localized("logo_uri", languages), metadata.localized("tos_uri", languages),
        metadata.localized("policy_uri", languages), userIds.of(user.localpart()),
        accessLines(scope, userIds.of(user.localpart()))));
  }

  /**
   * What each scope lets the application do, as the user is asked to allow it. The lines say what the tokens can
   * actually do here (the scope rules of {@code Authenticator} and {@code RequesterResolver}): without the API
   * scope, the application only learns who the user is; admin powers come only with the admin scope.
   */
  static List<String> accessLines(Scope scope, String userId) {
    List<String> access = new ArrayList<>();
    if (scope.api()) {
      access.add("Use your Matrix account as you: read and send messages, join and leave rooms,"
          + " change your settings, see your devices and rename them");
      access.add("Sign in as a new device with ID " + scope.deviceId());
    }
    if (scope.admin()) {
      access.add("Act as a server administrator: create, suspend, lock and deactivate accounts,"
          + " grant and remove administrator rights, and sign other users out");
    }
    if (scope.openid()) {
      access.add("Know who you are (" + userId + ")"
          + (scope.api() ? "" : "; nothing else: it cannot use your Matrix account"));
    }
    return access;
  }

  void submit(RoutingContext ctx) {
    AuthorizationRequest request = request(ctx);
    User user = BrowserAccountHandler.user(ctx);
    PendingRequests.remove(ctx.session(), request.id());
    if (!"allow".equals(ctx.request().formAttributes().get("action"))) {
      PageResponses.redirect(ctx, authorize.errorRedirect(request.redirectUri(), request.responseMode(),
          request.state(), new OAuthError(400, "access_denied", "the user denied the request")));
      return;
    }
    if (Scope.parse(request.scope()).admin() && !user.admin()) {
      PageResponses.redirect(ctx, authorize.errorRedirect(request.redirectUri(), request.responseMode(),
          request.state(), OAuthError.invalidScope("only administrators can grant " + Scope.ADMIN)));
      return;
    }
    String code = Digests.randomAlphanumeric(32);
    Instant now = clock.instant();
    CodeGrant grant = CodeGrant.issued(Digests.sha256(code), request.clientId(), user.id(), request.redirectUri(),
        request.redirectUriSent(), request.scope(), request.codeChallenge(), request.nonce(),
        WebSessions.signedIn(ctx).orElseThrow().authTime(), now, now.plus(codeLifetime));
    codes.insert(grant).onSuccess(done -> {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("code", code);
      params.put("state", request.state());
      params.put("iss", issuer);
      PageResponses.redirect(ctx, RedirectUris.withParams(request.redirectUri(), request.responseMode(), params));
    }).onFailure(ctx::fail);
  }

  static List<Locale.LanguageRange> languages(RoutingContext ctx) {
    return AcceptLanguage.ranges(ctx.request().getHeader("Accept-Language"));
  }
}
