package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.MessageView;

/**
 * {@code org.matrix.cross_signing_reset} on a POST (MSC4312): opens the window in which the homeserver lets the
 * user's app replace the cross-signing keys once.
 */
public final class ApproveIdentityReset implements Handler<RoutingContext> {
  private final CrossSigningResets resets;
  private final Pages pages;
  private final UserIds userIds;

  public ApproveIdentityReset(CrossSigningResets resets, Pages pages, UserIds userIds) {
    this.resets = resets;
    this.pages = pages;
    this.userIds = userIds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    User user = BrowserAccountHandler.user(ctx);
    resets.approve(user.id(), user.localpart(), userIds.of(user.localpart()))
        .onSuccess(window -> pages.send(ctx, 200, new MessageView("Reset approved",
            "Go back to your app and reset your identity now: this approval is valid until "
                + AccountTimes.format(window.expiresAt()) + " and for one reset only.")))
        .onFailure(ctx::fail);
  }
}
