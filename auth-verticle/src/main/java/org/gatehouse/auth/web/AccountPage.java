package org.gatehouse.auth.web;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.domain.Device;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.auth.web.view.AccountNoticeView;
import org.gatehouse.auth.web.view.AccountProfileView;
import org.gatehouse.auth.web.view.DeactivationView;
import org.gatehouse.auth.web.view.DeviceListView;
import org.gatehouse.auth.web.view.DeviceSignOutView;
import org.gatehouse.auth.web.view.DeviceView;
import org.gatehouse.auth.web.view.IdentityResetView;
import org.gatehouse.auth.web.view.LastAdministratorView;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.PageView;
import org.gatehouse.auth.web.view.QueryValues;

/**
 * {@code /account}, the {@code account_management_uri} (MSC4191): the user's profile, devices and sessions, and
 * the destructive actions — signing a device out, deactivating the account, approving a cross-signing reset
 * (MSC4312). Links can be crafted by anyone, so a GET only ever shows what would happen; the action happens on a
 * POST with the CSRF token, and only if the user typed their password within the last few minutes.
 */
public final class AccountPage {
  public static final String PATH = "/account";
  /** The actions this page understands, with the newer device spellings as aliases of the session ones. */
  public static final List<String> ACTIONS = List.of("org.matrix.profile", "org.matrix.sessions_list",
      "org.matrix.session_view", "org.matrix.session_end", "org.matrix.devices_list", "org.matrix.device_view",
      "org.matrix.device_delete", "org.matrix.account_deactivate", "org.matrix.cross_signing_reset");
  /** How recent a sign-in must be for a destructive action. */
  static final Duration FRESH = Duration.ofMinutes(5);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  private final ClientStore clients;
  private final DeviceStore devices;
  private final SessionTerminator terminator;
  private final Deactivation deactivation;
  private final CrossSigningResets resets;
  private final Pages pages;
  private final UserIds userIds;
  private final BrowserAccountHandler accountWhenConfirming;
  private final BrowserAccountHandler freshAccount;

  public AccountPage(BrowserAccounts accounts, ClientStore clients, DeviceStore devices, SessionTerminator terminator,
                     Deactivation deactivation, CrossSigningResets resets, Pages pages, UserIds userIds, Clock clock) {
    this.clients = clients;
    this.devices = devices;
    this.terminator = terminator;
    this.deactivation = deactivation;
    this.resets = resets;
    this.pages = pages;
    this.userIds = userIds;
    BrowserAccountHandler account = accounts.returningTo(AccountPage::here);
    // A GET only shows; but the page that confirms a destructive action asks for the password first, so that the
    // button on it works.
    this.accountWhenConfirming = account.signedInSince(ctx -> isDestructive(action(ctx))
        ? clock.instant().minus(FRESH) : null);
    this.freshAccount = account.signedInSince(ctx -> clock.instant().minus(FRESH));
  }

  public void mount(PageRoutes routes) {
    routes.get(PATH, accountWhenConfirming, this::show);
    routes.post(PATH, CsrfGuard.refusingWithMessage(pages, "Go back and try again."), freshAccount, this::submit);
  }

  /** The action asked for: the query's on a GET, the form's on a POST. */
  private static String action(RoutingContext ctx) {
    return normalise(ctx.request().method() == HttpMethod.GET ? ctx.queryParams().get("action")
        : ctx.request().formAttributes().get("action"));
  }

  private static String deviceId(RoutingContext ctx) {
    return ctx.request().method() == HttpMethod.GET ? ctx.queryParams().get("device_id")
        : ctx.request().formAttributes().get("device_id");
  }

  void show(RoutingContext ctx) {
    String action = action(ctx);
    String deviceId = deviceId(ctx);
    User user = BrowserAccountHandler.user(ctx);
    Future<String> shown = switch (action) {
        case "org.matrix.sessions_list" -> devices.list(user.id()).map(list -> render(ctx, 200, devicesList(list)));
        case "org.matrix.session_view" -> device(user, deviceId).compose(d -> creatorName(d)
            .map(creator -> render(ctx, 200, deviceView(d, creator))));
        case "org.matrix.session_end" -> device(user, deviceId).map(d -> render(ctx, 200, d == null
            ? noSuchDevice("Sign out this device?") : new DeviceSignOutView(Csrf.token(ctx), d.deviceId())));
        case "org.matrix.account_deactivate" -> Future.succeededFuture(render(ctx, 200,
            new DeactivationView(Csrf.token(ctx), userIds.of(user.localpart()), false)));
        case "org.matrix.cross_signing_reset" -> Future.succeededFuture(render(ctx, 200,
            new IdentityResetView(Csrf.token(ctx), resets.window().toMinutes())));
        default -> Future.succeededFuture(render(ctx, 200, new AccountProfileView(Csrf.token(ctx),
            userIds.of(user.localpart()), user.admin())));
    };
    shown.onFailure(ctx::fail);
  }

  void submit(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    String action = action(ctx);
    String deviceId = deviceId(ctx);
    User user = BrowserAccountHandler.user(ctx);
    String by = userIds.of(user.localpart());
    Future<String> changed = switch (action) {
        case "org.matrix.session_end" -> terminator.deleteDevice(user.id(), user.localpart(), deviceId == null ? "" : deviceId, by)
            .map(existed -> existed
                ? render(ctx, 200, new AccountNoticeView("Device signed out", deviceId + " is signed out."))
                : render(ctx, 404, noSuchDevice("No such device")));
        case "org.matrix.account_deactivate" -> {
          if (!by.equals(form.get("confirm_user_id"))) {
            yield Future.succeededFuture(render(ctx, 400, new DeactivationView(Csrf.token(ctx), by, true)));
          }
          yield deactivation.deactivate(user, by).map(done -> {
            WebSessions.signOut(ctx);
            return render(ctx, 200, new MessageView("Account deactivated",
                by + " is deactivated and signed out everywhere."));
          }).recover(failure -> failure instanceof UserStore.LastAdminException
              ? Future.succeededFuture(render(ctx, 403, new LastAdministratorView(by)))
              : Future.failedFuture(failure));
        }
        case "org.matrix.cross_signing_reset" -> resets.approve(user.id(), user.localpart(), by).map(window -> render(ctx,
            200, new MessageView("Reset approved", "Go back to your app and reset your identity now: this approval is"
                + " valid until " + TIME.format(window.expiresAt()) + " and for one reset only.")));
        default -> Future.succeededFuture(render(ctx, 400, new AccountNoticeView("Unknown action",
            "Nothing was changed.")));
    };
    changed.onFailure(ctx::fail);
  }

  private Future<Device> device(User user, String deviceId) {
    return devices.get(user.id(), deviceId == null ? "" : deviceId).map(found -> found.orElse(null));
  }

  private static DeviceListView devicesList(List<Device> list) {
    return new DeviceListView(list.stream().map(d -> new DeviceListView.Row(d.deviceId(),
        d.displayName() == null ? "" : d.displayName(), d.lastSeenAt() == null ? "never" : TIME.format(d.lastSeenAt())))
        .toList());
  }

  /** Who created the device, as a person recognises it: the client's name, else the appservice or client id. */
  private Future<String> creatorName(Device d) {
    if (d == null) {
      return Future.succeededFuture(null);
    }
    return clients.byId(d.createdBy()).map(client -> client.map(c -> c.metadata().name(List.of())).orElse(d.createdBy()));
  }

  private static PageView deviceView(Device d, String creator) {
    if (d == null) {
      return noSuchDevice("Device");
    }
    return new DeviceView(d.deviceId(), d.displayName() == null ? "" : d.displayName(), TIME.format(d.createdAt()),
        creator, d.lastSeenAt() == null ? null : TIME.format(d.lastSeenAt()), d.lastSeenIp());
  }

  private static AccountNoticeView noSuchDevice(String title) {
    return new AccountNoticeView(title, "This device does not exist (any more).");
  }

  private String render(RoutingContext ctx, int status, PageView view) {
    pages.send(ctx, status, view);
    return view.template();
  }

  /** This page with the same action, for the sign-in page to lead back to. */
  private static String here(RoutingContext ctx) {
    String deviceId = deviceId(ctx);
    return PATH + "?action=" + QueryValues.encode(action(ctx))
        + (deviceId == null ? "" : "&device_id=" + QueryValues.encode(deviceId));
  }

  private static boolean isDestructive(String action) {
    return action.equals("org.matrix.session_end") || action.equals("org.matrix.account_deactivate")
        || action.equals("org.matrix.cross_signing_reset");
  }

  /** Both spellings of the device actions lead to the same page. */
  static String normalise(String action) {
    if (action == null) {
      return "org.matrix.profile";
    }
    return switch (action) {
      case "org.matrix.devices_list" -> "org.matrix.sessions_list";
      case "org.matrix.device_view" -> "org.matrix.session_view";
      case "org.matrix.device_delete" -> "org.matrix.session_end";
      default -> ACTIONS.contains(action) ? action : "org.matrix.profile";
    };
  }

}
