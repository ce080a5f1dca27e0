package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Csrf;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.AccountProfileView;

/** {@code org.matrix.profile} (and any action this page does not know): who is signed in, and where to go. */
public final class ShowProfile implements Handler<RoutingContext> {
  private final Pages pages;
  private final UserIds userIds;

  public ShowProfile(Pages pages, UserIds userIds) {
    this.pages = pages;
    this.userIds = userIds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    User user = BrowserAccountHandler.user(ctx);
    pages.send(ctx, 200, new AccountProfileView(Csrf.token(ctx), userIds.of(user.localpart()), user.admin()));
  }
}
