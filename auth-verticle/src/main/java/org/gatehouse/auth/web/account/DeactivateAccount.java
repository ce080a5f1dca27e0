package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Csrf;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.WebSessions;
import org.gatehouse.auth.web.view.DeactivationView;
import org.gatehouse.auth.web.view.LastAdministratorView;
import org.gatehouse.auth.web.view.MessageView;

/**
 * {@code org.matrix.account_deactivate} on a POST: deactivates the account once the user ID was typed out (it
 * cannot be undone), and signs this browser out; the last administrator is refused.
 */
public final class DeactivateAccount implements Handler<RoutingContext> {
  private final Deactivation deactivation;
  private final Pages pages;
  private final UserIds userIds;

  public DeactivateAccount(Deactivation deactivation, Pages pages, UserIds userIds) {
    this.deactivation = deactivation;
    this.pages = pages;
    this.userIds = userIds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    User user = BrowserAccountHandler.user(ctx);
    String userId = userIds.of(user.localpart());
    if (!userId.equals(ctx.request().formAttributes().get("confirm_user_id"))) {
      pages.send(ctx, 400, new DeactivationView(Csrf.token(ctx), userId, true));
      return;
    }
    deactivation.deactivate(user, userId).onComplete(done -> {
      if (done.succeeded()) {
        WebSessions.signOut(ctx);
        pages.send(ctx, 200, new MessageView("Account deactivated",
            userId + " is deactivated and signed out everywhere."));
      } else if (done.cause() instanceof UserStore.LastAdminException) {
        pages.send(ctx, 403, new LastAdministratorView(userId));
      } else {
        ctx.fail(done.cause());
      }
    });
  }
}
