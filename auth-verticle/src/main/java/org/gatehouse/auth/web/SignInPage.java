package org.gatehouse.auth.web;

import org.gatehouse.auth.accounts.SignIn;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.QueryValues;
import org.gatehouse.auth.web.view.SignInView;
import org.gatehouse.common.http.HttpEdge;

/** {@code /login} and {@code /logout}: the password form of the browser session. */
public final class SignInPage {
  static final String DEFAULT_NEXT = "/account";
  static final String EXPIRED = "This form has expired. Please try again.";

  private final SignIn signIn;
  private final Pages pages;
  private final boolean selfRegistration;
  private final Clock clock;

  public SignInPage(SignIn signIn, Pages pages, boolean selfRegistration, Clock clock) {
    this.signIn = signIn;
    this.pages = pages;
    this.selfRegistration = selfRegistration;
    this.clock = clock;
  }

  public void mount(PageRoutes routes) {
    routes.get(AuthPaths.LOGIN, this::show);
    // An expired form is shown again with what was typed, so the person only has to press the button once more.
    routes.post(AuthPaths.LOGIN, CsrfGuard.refusingWith(ctx -> form(ctx, 403, EXPIRED)), this::submit);
    routes.post(AuthPaths.LOGOUT, CsrfGuard.refusingWithMessage(pages, "Reload the page and try again."),
        this::signOut);
  }

  void show(RoutingContext ctx) {
    String next = LocalPaths.safe(ctx.queryParams().get("next"), DEFAULT_NEXT);
    String hint = ctx.queryParams().get("hint");
    pages.send(ctx, 200, new SignInView(Csrf.token(ctx), next, hint == null ? "" : hint, null, selfRegistration));
  }

  void submit(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    signIn.attempt(username(ctx), form.get("password"), HttpEdge.clientAddress(ctx)).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      SignIn.Result outcome = result.result();
      if (outcome instanceof SignIn.Success success) {
        WebSessions.signIn(ctx, success.user().id(), clock.instant());
        PageResponses.redirect(ctx, next(ctx));
      } else if (outcome instanceof SignIn.Locked) {
        pages.send(ctx, 403, new MessageView("Account locked",
            "This account has been locked by an administrator. Contact your server's administrators."));
      } else if (outcome instanceof SignIn.Limited limited) {
        long seconds = PageResponses.retryAfter(ctx, limited.retryAfter());
        form(ctx, 429, "Too many failed attempts. Try again in " + seconds + " seconds.");
      } else {
        form(ctx, 401, "Wrong username or password.");
      }
    });
  }

  /** The form again, with the username and destination that were posted and why it was refused. */
  private void form(RoutingContext ctx, int status, String error) {
    pages.send(ctx, status, new SignInView(Csrf.token(ctx), next(ctx), username(ctx), error, selfRegistration));
  }

  private static String next(RoutingContext ctx) {
    return LocalPaths.safe(ctx.request().formAttributes().get("next"), DEFAULT_NEXT);
  }

  private static String username(RoutingContext ctx) {
    String username = ctx.request().formAttributes().get("username");
    return username == null ? "" : username;
  }

  /**
   * Signs the browser out. With {@code next} (the consent page's "Not you?"), the sign-in page leads back there, so
   * the right person can sign in and the application's request carries on instead of being lost.
   */
  void signOut(RoutingContext ctx) {
    WebSessions.signOut(ctx);
    String next = LocalPaths.safe(ctx.request().formAttributes().get("next"), null);
    PageResponses.redirect(ctx, next == null ? AuthPaths.LOGIN : AuthPaths.LOGIN + "?next=" + QueryValues.encode(next));
  }
}
