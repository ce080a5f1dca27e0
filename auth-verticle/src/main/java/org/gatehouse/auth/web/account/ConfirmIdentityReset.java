package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.web.Csrf;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.IdentityResetView;

/** {@code org.matrix.cross_signing_reset} on a GET: what approving the reset means, and the button. */
public final class ConfirmIdentityReset implements Handler<RoutingContext> {
  private final CrossSigningResets resets;
  private final Pages pages;

  public ConfirmIdentityReset(CrossSigningResets resets, Pages pages) {
    this.resets = resets;
    this.pages = pages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    pages.send(ctx, 200, new IdentityResetView(Csrf.token(ctx), resets.window().toMinutes()));
  }
}
