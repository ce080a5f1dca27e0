package org.gatehouse.auth.web;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Predicate;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.ratelimit.ClusterRateLimiter;
import org.gatehouse.common.ratelimit.RateLimit;
import org.gatehouse.auth.web.view.SignUpView;

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

  public void show(RoutingContext ctx) {
    String next = LocalPaths.safe(ctx.queryParams().get("next"), SignInPage.DEFAULT_NEXT);
    pages.send(ctx, 200, new SignUpView(Csrf.token(ctx), next, "", "", null));
  }

  public void submit(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    String next = LocalPaths.safe(form.get("next"), SignInPage.DEFAULT_NEXT);
    String username = form.get("username") == null ? "" : form.get("username").trim();
    String password = form.get("password");
    String displayName = form.get("display_name") == null ? "" : form.get("display_name").strip();
    String error = null;
    if (!Csrf.valid(ctx, form.get("csrf"))) {
      error = "This form has expired. Please try again.";
    } else if (!UserIds.isValidLocalpart(username)) {
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
      pages.send(ctx, 400, new SignUpView(Csrf.token(ctx), next, username, displayName, error));
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
            pages.send(ctx, 409, new SignUpView(Csrf.token(ctx), next, username, displayName,
                "M_USER_IN_USE".equals(refused.errcode()) ? "That username is taken." : "That username is not available."));
          } else if (failure instanceof MatrixError away && away.status() == 503) {
            ctx.response().putHeader("Retry-After", Long.toString(away.retryAfter()
                .map(d -> Math.max(1, d.toSeconds())).orElse(5L)));
            pages.send(ctx, 503, new SignUpView(Csrf.token(ctx), next, username, displayName,
                "Accounts cannot be created right now. Try again in a moment."));
          } else if (failure instanceof MatrixError limited && limited.status() == 429) {
            PageResponses.retryAfter(ctx, limited.retryAfter().orElse(java.time.Duration.ofSeconds(1)));
            pages.send(ctx, 429, new SignUpView(Csrf.token(ctx), next, username, displayName,
                "Too many accounts were created from your address. Try again later."));
          } else {
            ctx.fail(failure);
          }
        });
  }

}
