package org.gatehouse.auth.web.account;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.gatehouse.auth.domain.Device;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.web.BrowserAccountHandler;
import org.gatehouse.auth.web.Pages;
import org.gatehouse.auth.web.view.AccountNoticeView;
import org.gatehouse.auth.web.view.DeviceView;

/** {@code org.matrix.session_view} ({@code org.matrix.device_view}): one device, and the link to sign it out. */
public final class ShowDevice implements Handler<RoutingContext> {
  private final DeviceStore devices;
  private final ClientStore clients;
  private final Pages pages;

  public ShowDevice(DeviceStore devices, ClientStore clients, Pages pages) {
    this.devices = devices;
    this.clients = clients;
    this.pages = pages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String deviceId = ctx.queryParams().get("device_id");
    devices.get(BrowserAccountHandler.user(ctx).id(), deviceId == null ? "" : deviceId)
        .compose(found -> found.isEmpty() ? Future.succeededFuture(AccountNoticeView.noSuchDevice("Device"))
            : creatorName(found.get()).map(creator -> view(found.get(), creator)))
        .onSuccess(view -> pages.send(ctx, 200, view))
        .onFailure(ctx::fail);
  }

  /** Who created the device, as a person recognises it: the client's name, else the appservice or client id. */
  private Future<String> creatorName(Device d) {
    return clients.byId(d.createdBy()).map(client -> client.map(c -> c.metadata().name(List.of())).orElse(d.createdBy()));
  }

  private static DeviceView view(Device d, String creator) {
    return new DeviceView(d.deviceId(), d.displayName() == null ? "" : d.displayName(),
        AccountTimes.format(d.createdAt()), creator, d.lastSeenAt() == null ? null : AccountTimes.format(d.lastSeenAt()),
        d.lastSeenIp());
  }
}
