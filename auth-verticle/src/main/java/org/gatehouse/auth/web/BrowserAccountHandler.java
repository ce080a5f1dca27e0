package org.gatehouse.auth.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.QueryValues;

/**
 * The guard of the pages that act for a signed-in account, mounted before them: it finds the account of this
 * browser's session and puts it in the routing context ({@link #user}) for the handlers after it, or answers
 * itself and does not call {@code next()}:
 * <ul>
 *   <li>nobody signed in, or not recently enough ({@link #signedInSince}): a redirect to the sign-in page, which
 *       leads back here;</li>
 *   <li>the account is gone or deactivated: the browser is signed out and sent to sign in;</li>
 *   <li>the account is locked: a 403 page (a locked account may look, it may not act).</li>
 * </ul>
 * Made by {@link BrowserAccounts}; each {@code with...} returns a new guard.
 */
public final class BrowserAccountHandler implements Handler<RoutingContext> {
  static final String LOCKED = "This account has been locked by an administrator.";
  private static final String USER = "gatehouse.browser_account";

  private final BrowserAccounts accounts;
  private final Function<RoutingContext, String> returnTo;
  private final Function<RoutingContext, Instant> signedInSince;
  private final Function<RoutingContext, String> signIn;
  private final String lockedText;

  BrowserAccountHandler(BrowserAccounts accounts, Function<RoutingContext, String> returnTo,
                        Function<RoutingContext, Instant> signedInSince, Function<RoutingContext, String> signIn,
                        String lockedText) {
    this.accounts = accounts;
    this.returnTo = returnTo;
    this.signedInSince = signedInSince;
    this.signIn = signIn;
    this.lockedText = lockedText;
  }

  /** The account the guard found for this request (only in the handlers mounted after it). */
  public static User user(RoutingContext ctx) {
    User user = ctx.get(USER);
    if (user == null) {
      throw new IllegalStateException("no BrowserAccountHandler ran before this handler");
    }
    return user;
  }

  /**
   * Asks for a sign-in at or after the instant {@code since} gives for the request (null: any sign-in will do), as
   * destructive actions do (a fresh password) and {@code prompt=login} does.
   */
  public BrowserAccountHandler signedInSince(Function<RoutingContext, Instant> since) {
    return new BrowserAccountHandler(accounts, returnTo, since, signIn, lockedText);
  }

  /** Sends a browser that must sign in to {@code signIn} instead of the plain sign-in page. */
  public BrowserAccountHandler signingInAt(Function<RoutingContext, String> signIn) {
    return new BrowserAccountHandler(accounts, returnTo, signedInSince, signIn, lockedText);
  }

  /** Explains a locked account with {@code text}: what the page would have let it do. */
  public BrowserAccountHandler explainingLockWith(String text) {
    return new BrowserAccountHandler(accounts, returnTo, signedInSince, signIn, text);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<WebSessions.SignedIn> signedIn = WebSessions.signedIn(ctx);
    Instant since = signedInSince.apply(ctx);
    if (signedIn.isEmpty() || since != null && signedIn.get().authTime().isBefore(since)) {
      PageResponses.redirect(ctx, signIn.apply(ctx));
      return;
    }
    accounts.users.byId(signedIn.get().userId()).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      Optional<User> user = found.result();
      if (user.isEmpty() || user.get().deactivated()) {
        WebSessions.signOut(ctx);
        PageResponses.redirect(ctx, signInPage(returnTo.apply(ctx)));
      } else if (accounts.statuses.of(accounts.userIds.of(user.get().localpart())).locked()) {
        accounts.pages.send(ctx, 403, new MessageView("Account locked", lockedText));
      } else {
        ctx.put(USER, user.get());
        ctx.next();
      }
    });
  }

  /** The sign-in page, leading back to {@code returnTo}. */
  static String signInPage(String returnTo) {
    return AuthPaths.LOGIN + "?next=" + QueryValues.encode(returnTo);
  }
}
