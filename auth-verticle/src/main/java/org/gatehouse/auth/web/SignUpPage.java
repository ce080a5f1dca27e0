package org.gatehouse.auth.web;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Predicate;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.web.view.SignUpView;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/** {@code /register}: self-registration ({@code prompt=create}), only when the operator turned it on. */
public final class SignUpPage {
  static final int MIN_PASSWORD = 8;
  static final RateLimit PER_ADDRESS = new RateLimit(0.05, 5);

  private final AccountCreation accounts;
  private final ClusterRateLimiter limiter;
  private final Pages pages;
  private final Predicate<String> reserved;
  private final Clock clock;

  /** @param reserved localparts people may not take for themselves (exclusive appservice namespaces) */
  public SignUpPage(AccountCreation accounts, ClusterRateLimiter limiter, Pages pages, Predicate<String> reserved,
                    Clock clock) {
    this.accounts = accounts;
    this.limiter = limiter;
    this.pages = pages;
    this.reserved = reserved;
    this.clock = clock;
  }

  public void mount(PageRoutes routes) {
    routes.get(AuthPaths.SIGN_UP, this::show);
    // The same 400 form as any other mistake: what was typed stays, the passwords go.
    routes.post(AuthPaths.SIGN_UP, CsrfGuard.refusingWith(ctx -> form(ctx, 400, SignInPage.EXPIRED)), this::submit);
  }

  void show(RoutingContext ctx) {
    String next = LocalPaths.safe(ctx.queryParams().get("next"), SignInPage.DEFAULT_NEXT);
    pages.send(ctx, 200, new SignUpView(Csrf.token(ctx), next, "", "", null));
  }

  void submit(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    String next = next(ctx);
    String username = username(ctx);
    String password = form.get("password");
    String displayName = displayName(ctx);
    String error = null;
    if (!UserIds.isValidLocalpart(username)) {
      error = "Usernames use lower-case letters, digits and . _ = - / + only.";
    } else if (reserved.test(username)) {
      error = "That username is reserved.";
    } else if (password == null || password.length() < MIN_PASSWORD) {
      error = "The password needs at least " + MIN_PASSWORD + " characters.";
    } else if (!password.equals(form.get("password_confirm"))) {
      error = "The two passwords differ.";
    } else if (AccountCreation.displayNameProblem(displayName) != null) {
      error = "A display name has at most 256 characters and no control characters.";
    }
    if (error != null) {
      form(ctx, 400, error);
      return;
    }
    limiter.check("signup:" + HttpEdge.clientAddress(ctx), PER_ADDRESS)
        .compose(allowed -> accounts.create(username, password, false, displayName))
        .onSuccess(user -> {
          WebSessions.signIn(ctx, user.id(), clock.instant());
          PageResponses.redirect(ctx, next);
        })
        .onFailure(failure -> {
          if (failure instanceof MatrixError refused && refused.status() == 400) {
            // Taken here or at the homeserver (M_USER_IN_USE), or a name the homeserver refuses (M_EXCLUSIVE...).
            form(ctx, 409, "M_USER_IN_USE".equals(refused.errcode()) ? "That username is taken."
                : "That username is not available.");
          } else if (failure instanceof MatrixError away && away.status() == 503) {
            ctx.response().putHeader("Retry-After", Long.toString(away.retryAfter()
                .map(d -> Math.max(1, d.toSeconds())).orElse(5L)));
            form(ctx, 503, "Accounts cannot be created right now. Try again in a moment.");
          } else if (failure instanceof MatrixError limited && limited.status() == 429) {
            PageResponses.retryAfter(ctx, limited.retryAfter().orElse(java.time.Duration.ofSeconds(1)));
            form(ctx, 429, "Too many accounts were created from your address. Try again later.");
          } else {
            ctx.fail(failure);
          }
        });
  }

  /** The form again, with what was posted (the passwords aside) and why it was refused. */
  private void form(RoutingContext ctx, int status, String error) {
    pages.send(ctx, status, new SignUpView(Csrf.token(ctx), next(ctx), username(ctx), displayName(ctx), error));
  }

  private static String next(RoutingContext ctx) {
    return LocalPaths.safe(ctx.request().formAttributes().get("next"), SignInPage.DEFAULT_NEXT);
  }

  private static String username(RoutingContext ctx) {
    String username = ctx.request().formAttributes().get("username");
    return username == null ? "" : username.trim();
  }

  private static String displayName(RoutingContext ctx) {
    String displayName = ctx.request().formAttributes().get("display_name");
    return displayName == null ? "" : displayName.strip();
  }
}
