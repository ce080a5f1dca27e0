package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Csrf;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.DeactivationView;

/** {@code org.matrix.account_deactivate} on a GET: what deactivation does, and the form asking for the user ID. */
public final class ConfirmDeactivation implements Handler<RoutingContext> {
  private final Pages pages;
  private final UserIds userIds;

  public ConfirmDeactivation(Pages pages, UserIds userIds) {
    this.pages = pages;
    this.userIds = userIds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    pages.send(ctx, 200, new DeactivationView(Csrf.token(ctx),
        userIds.of(BrowserAccountHandler.user(ctx).localpart()), false));
  }
}
