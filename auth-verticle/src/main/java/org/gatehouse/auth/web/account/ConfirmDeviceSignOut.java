package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Csrf;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.AccountNoticeView;
import org.gatehouse.auth.web.view.DeviceSignOutView;

/** {@code org.matrix.session_end} ({@code org.matrix.device_delete}) on a GET: what signing out does, and the button. */
public final class ConfirmDeviceSignOut implements Handler<RoutingContext> {
  private final DeviceStore devices;
  private final Pages pages;

  public ConfirmDeviceSignOut(DeviceStore devices, Pages pages) {
    this.devices = devices;
    this.pages = pages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String deviceId = ctx.queryParams().get("device_id");
    devices.get(BrowserAccountHandler.user(ctx).id(), deviceId == null ? "" : deviceId)
        .onSuccess(found -> pages.send(ctx, 200, found.isEmpty()
            ? AccountNoticeView.noSuchDevice("Sign out this device?")
            : new DeviceSignOutView(Csrf.token(ctx), found.get().deviceId())))
        .onFailure(ctx::fail);
  }
}
