package org.gatehouse.auth.web;

import java.util.function.Function;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.store.UserStore;

/** Makes the {@link BrowserAccountHandler}s of the pages, which all look accounts up the same way. */
public final class BrowserAccounts {
  final UserStore users;
  final AccountStatusView statuses;
  final UserIds userIds;
  final Pages pages;

  public BrowserAccounts(UserStore users, AccountStatusView statuses, UserIds userIds, Pages pages) {
    this.users = users;
    this.statuses = statuses;
    this.userIds = userIds;
    this.pages = pages;
  }

  /**
   * A guard for the page at {@code returnTo} (the path and query the sign-in page leads back to): anyone signed
   * in will do, however long ago, and a locked account is refused with the plain explanation.
   */
  public BrowserAccountHandler returningTo(Function<RoutingContext, String> returnTo) {
    return new BrowserAccountHandler(this, returnTo, ctx -> null,
        ctx -> BrowserAccountHandler.signInPage(returnTo.apply(ctx)), BrowserAccountHandler.LOCKED);
  }
}
