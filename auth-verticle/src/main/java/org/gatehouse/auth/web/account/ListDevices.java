package org.gatehouse.auth.web.account;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.gatehouse.auth.domain.Device;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.DeviceListView;

/** {@code org.matrix.sessions_list} ({@code org.matrix.devices_list}): the user's devices. */
public final class ListDevices implements Handler<RoutingContext> {
  private final DeviceStore devices;
  private final Pages pages;

  public ListDevices(DeviceStore devices, Pages pages) {
    this.devices = devices;
    this.pages = pages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    devices.list(BrowserAccountHandler.user(ctx).id())
        .onSuccess(list -> pages.send(ctx, 200, view(list)))
        .onFailure(ctx::fail);
  }

  private static DeviceListView view(List<Device> list) {
    return new DeviceListView(list.stream().map(d -> new DeviceListView.Row(d.deviceId(),
            d.displayName() == null ? "" : d.displayName(),
            d.lastSeenAt() == null ? "never" : AccountTimes.format(d.lastSeenAt())))
        .toList());
  }
}
