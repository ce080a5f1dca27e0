package org.gatehouse.auth.web;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.CodeGrant;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.auth.web.view.ConsentView;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.QueryValues;

/**
 * {@code /oauth2/consent}: shows the signed-in user which application asks for what (its name, site, logo, the
 * device it will create) and, on an explicit POST with the CSRF token, sends the browser back to the client with
 * an authorization code — or with {@code access_denied}.
 */
public final class ConsentPage {
  private final ClientStore clients;
  private final UserStore users;
  private final SessionStore sessions;
  private final AccountStatusView statuses;
  private final AuthorizeEndpoint authorize;
  private final Pages pages;
  private final UserIds userIds;
  private final String issuer;
  private final boolean selfRegistration;
  private final Duration codeLifetime;
  private final Clock clock;

  public ConsentPage(ClientStore clients, UserStore users, SessionStore sessions, AccountStatusView statuses,
                     AuthorizeEndpoint authorize, Pages pages, UserIds userIds, String issuer, boolean selfRegistration,
                     Duration codeLifetime, Clock clock) {
    this.clients = clients;
    this.users = users;
    this.sessions = sessions;
    this.statuses = statuses;
    this.authorize = authorize;
    this.pages = pages;
    this.userIds = userIds;
    this.issuer = issuer;
    this.selfRegistration = selfRegistration;
    this.codeLifetime = codeLifetime;
    this.clock = clock;
  }

  /** The signed-in, usable account for {@code request}, or a response already sent (redirect or page). */
  private Future<Optional<User>> account(RoutingContext ctx, AuthorizationRequest request) {
    Optional<WebSessions.SignedIn> signedIn = WebSessions.signedIn(ctx);
    boolean fresh = signedIn.isPresent()
        && !(request.prompts("login") && signedIn.get().authTime().isBefore(request.createdAt()));
    String here = AuthPaths.CONSENT + "?id=" + request.id();
    if (!fresh) {
      if (request.prompts("create") && selfRegistration) {
        PageResponses.redirect(ctx, AuthPaths.SIGN_UP + "?next=" + QueryValues.encode(here));
      } else {
        PageResponses.redirect(ctx, AuthPaths.LOGIN + "?next=" + QueryValues.encode(here)
            + (request.loginHint() == null ? "" : "&hint=" + QueryValues.encode(request.loginHint())));
      }
      return Future.succeededFuture(Optional.empty());
    }
    return users.byId(signedIn.get().userId()).map(found -> {
      if (found.isEmpty() || found.get().deactivated()) {
        WebSessions.signOut(ctx);
        PageResponses.redirect(ctx, AuthPaths.LOGIN + "?next=" + QueryValues.encode(here));
        return Optional.empty();
      }
      if (statuses.of(userIds.of(found.get().localpart())).locked()) {
        pages.send(ctx, 403, new MessageView("Account locked",
            "This account has been locked by an administrator, so it cannot sign in to applications."));
        return Optional.empty();
      }
      return found;
    });
  }

  public void show(RoutingContext ctx) {
    AuthorizationRequest request = PendingRequests.get(ctx.session(), ctx.queryParams().get("id"));
    if (request == null) {
      expired(ctx);
      return;
    }
    account(ctx, request).compose(account -> account.isEmpty() ? Future.succeededFuture()
            : clients.byId(request.clientId()).map(client -> {
              render(ctx, request, client.orElseThrow(), account.get());
              return null;
            }))
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

  public void submit(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    if (!Csrf.valid(ctx, form.get("csrf"))) {
      pages.send(ctx, 403, new MessageView("This form has expired", "Go back to the application and start again."));
      return;
    }
    AuthorizationRequest request = PendingRequests.get(ctx.session(), form.get("id"));
    if (request == null) {
      expired(ctx);
      return;
    }
    account(ctx, request).compose(account -> {
      if (account.isEmpty()) {
        return Future.succeededFuture();
      }
      PendingRequests.remove(ctx.session(), request.id());
      if (!"allow".equals(form.get("action"))) {
        PageResponses.redirect(ctx, authorize.errorRedirect(request.redirectUri(), request.responseMode(),
            request.state(), new OAuthError(400, "access_denied", "the user denied the request")));
        return Future.succeededFuture();
      }
      if (Scope.parse(request.scope()).admin() && !account.get().admin()) {
        PageResponses.redirect(ctx, authorize.errorRedirect(request.redirectUri(), request.responseMode(),
            request.state(), OAuthError.invalidScope("only administrators can grant " + Scope.ADMIN)));
        return Future.succeededFuture();
      }
      String code = Digests.randomAlphanumeric(32);
      Instant now = clock.instant();
      CodeGrant grant = new CodeGrant(Digests.sha256(code), request.clientId(), account.get().id(), request.redirectUri(),
          request.redirectUriSent(), request.scope(), request.codeChallenge(), request.nonce(), WebSessions.signedIn(ctx).orElseThrow().authTime(),
          now, now.plus(codeLifetime), null, null);
      return sessions.insertCode(grant).onSuccess(done -> {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("state", request.state());
        params.put("iss", issuer);
        PageResponses.redirect(ctx, RedirectUris.withParams(request.redirectUri(), request.responseMode(), params));
      });
    }).onFailure(ctx::fail);
  }

  private void expired(RoutingContext ctx) {
    pages.send(ctx, 400, new MessageView("This sign-in request has expired",
        "It was not started in this browser or it is too old. Go back to the application and start again."));
  }

  static List<Locale.LanguageRange> languages(RoutingContext ctx) {
    return AcceptLanguage.ranges(ctx.request().getHeader("Accept-Language"));
  }
}
