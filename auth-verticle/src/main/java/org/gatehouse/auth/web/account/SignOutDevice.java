package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.AccountNoticeView;

/** {@code org.matrix.session_end} on a POST: ends the device's sessions and deletes it. */
public final class SignOutDevice implements Handler<RoutingContext> {
  private final SessionTerminator terminator;
  private final Pages pages;
  private final UserIds userIds;

  public SignOutDevice(SessionTerminator terminator, Pages pages, UserIds userIds) {
    this.terminator = terminator;
    this.pages = pages;
    this.userIds = userIds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    User user = BrowserAccountHandler.user(ctx);
    String deviceId = ctx.request().formAttributes().get("device_id");
    terminator.deleteDevice(user.id(), user.localpart(), deviceId == null ? "" : deviceId, userIds.of(user.localpart()))
        .onSuccess(existed -> {
          if (existed) {
            pages.send(ctx, 200, new AccountNoticeView("Device signed out", deviceId + " is signed out."));
          } else {
            pages.send(ctx, 404, AccountNoticeView.noSuchDevice("No such device"));
          }
        })
        .onFailure(ctx::fail);
  }
}
