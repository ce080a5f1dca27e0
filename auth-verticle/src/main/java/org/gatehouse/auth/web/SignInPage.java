package org.gatehouse.auth.web;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.SignInView;
import org.gatehouse.auth.web.view.QueryValues;

/** {@code /login} and {@code /logout}: the password form of the browser session. */
public final class SignInPage {
  static final String DEFAULT_NEXT = "/account";

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

  public void show(RoutingContext ctx) {
    String next = LocalPaths.safe(ctx.queryParams().get("next"), DEFAULT_NEXT);
    String hint = ctx.queryParams().get("hint");
    pages.send(ctx, 200, new SignInView(Csrf.token(ctx), next, hint == null ? "" : hint, null, selfRegistration));
  }

  public void submit(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    String next = LocalPaths.safe(form.get("next"), DEFAULT_NEXT);
    String username = form.get("username") == null ? "" : form.get("username");
    if (!Csrf.valid(ctx, form.get("csrf"))) {
      pages.send(ctx, 403, new SignInView(Csrf.token(ctx), next, username,
          "This form has expired. Please try again.", selfRegistration));
      return;
    }
    signIn.attempt(username, form.get("password"), HttpEdge.clientAddress(ctx)).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      SignIn.Result outcome = result.result();
      if (outcome instanceof SignIn.Success success) {
        WebSessions.signIn(ctx, success.user().id(), clock.instant());
        PageResponses.redirect(ctx, next);
      } else if (outcome instanceof SignIn.Locked) {
        pages.send(ctx, 403, new MessageView("Account locked",
            "This account has been locked by an administrator. Contact your server's administrators."));
      } else if (outcome instanceof SignIn.Limited limited) {
        long seconds = PageResponses.retryAfter(ctx, limited.retryAfter());
        pages.send(ctx, 429, new SignInView(Csrf.token(ctx), next, username,
            "Too many failed attempts. Try again in " + seconds + " seconds.", selfRegistration));
      } else {
        pages.send(ctx, 401, new SignInView(Csrf.token(ctx), next, username, "Wrong username or password.",
            selfRegistration));
      }
    });
  }

  /**
   * Signs the browser out. With {@code next} (the consent page's "Not you?"), the sign-in page leads back there, so
   * the right person can sign in and the application's request carries on instead of being lost.
   */
  public void signOut(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    if (!Csrf.valid(ctx, form.get("csrf"))) {
      pages.send(ctx, 403, new MessageView("This form has expired", "Reload the page and try again."));
      return;
    }
    WebSessions.signOut(ctx);
    String next = LocalPaths.safe(form.get("next"), null);
    PageResponses.redirect(ctx, next == null ? "/login" : "/login?next=" + QueryValues.encode(next));
  }
}
