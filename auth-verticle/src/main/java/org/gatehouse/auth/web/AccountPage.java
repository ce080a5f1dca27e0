package org.gatehouse.auth.web;

import static org.gatehouse.auth.web.Html.esc;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.domain.Device;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.UserStore;

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

  private final UserStore users;
  private final ClientStore clients;
  private final DeviceStore devices;
  private final SessionTerminator terminator;
  private final Deactivation deactivation;
  private final CrossSigningResets resets;
  private final AccountStatusView statuses;
  private final Pages pages;
  private final UserIds userIds;
  private final Clock clock;

  public AccountPage(UserStore users, ClientStore clients, DeviceStore devices, SessionTerminator terminator, Deactivation deactivation,
                     CrossSigningResets resets, AccountStatusView statuses, Pages pages, UserIds userIds, Clock clock) {
    this.users = users;
    this.clients = clients;
    this.devices = devices;
    this.terminator = terminator;
    this.deactivation = deactivation;
    this.resets = resets;
    this.statuses = statuses;
    this.pages = pages;
    this.userIds = userIds;
    this.clock = clock;
  }

  public void show(RoutingContext ctx) {
    String action = normalise(ctx.queryParams().get("action"));
    String deviceId = ctx.queryParams().get("device_id");
    boolean destructive = isDestructive(action);
    account(ctx, destructive, here(action, deviceId)).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      User user = found.get();
      return switch (action) {
        case "org.matrix.sessions_list" -> devices.list(user.id()).map(list -> render(ctx, "Your devices", devicesList(list)));
        case "org.matrix.session_view" -> device(user, deviceId).compose(d -> creatorName(d)
            .map(creator -> render(ctx, "Device", deviceView(ctx, d, creator))));
        case "org.matrix.session_end" -> device(user, deviceId).map(d -> render(ctx, "Sign out this device?",
            signOutConfirmation(ctx, d)));
        case "org.matrix.account_deactivate" -> Future.succeededFuture(render(ctx, "Deactivate your account?",
            deactivateConfirmation(ctx, user)));
        case "org.matrix.cross_signing_reset" -> Future.succeededFuture(render(ctx, "Reset your digital identity?",
            resetConfirmation(ctx)));
        default -> Future.succeededFuture(render(ctx, "Your account", profile(ctx, user)));
      };
    }).onFailure(ctx::fail);
  }

  public void submit(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    String action = normalise(form.get("action"));
    String deviceId = form.get("device_id");
    if (!Csrf.valid(ctx, form.get("csrf"))) {
      PageResponses.html(ctx, 403, pages.message("This form has expired", "Go back and try again."));
      return;
    }
    account(ctx, true, here(action, deviceId)).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      User user = found.get();
      String by = userIds.of(user.localpart());
      return switch (action) {
        case "org.matrix.session_end" -> terminator.deleteDevice(user.id(), user.localpart(), deviceId == null ? "" : deviceId, by)
            .map(existed -> existed
                ? render(ctx, "Device signed out", "<p>" + esc(deviceId) + " is signed out.</p>" + back())
                : renderStatus(ctx, 404, "No such device", "<p>This device does not exist (any more).</p>" + back()));
        case "org.matrix.account_deactivate" -> {
          if (!by.equals(form.get("confirm_user_id"))) {
            yield Future.succeededFuture(renderStatus(ctx, 400, "Deactivate your account?",
                "<p class=\"error\" role=\"alert\">Type your user ID exactly to confirm.</p>"
                    + deactivateConfirmation(ctx, user)));
          }
          yield deactivation.deactivate(user, by).map(done -> {
            WebSessions.signOut(ctx);
            return render(ctx, "Account deactivated", "<p>" + esc(by) + " is deactivated and signed out everywhere.</p>");
          }).recover(failure -> failure instanceof UserStore.LastAdminException
              ? Future.succeededFuture(renderStatus(ctx, 403, "Deactivate your account?",
                  "<p class=\"error\" role=\"alert\">" + esc(by) + " is the last administrator of this server, so it"
                      + " cannot be deactivated: nobody could administer the server any more. Make another account an"
                      + " administrator first.</p>" + back()))
              : Future.failedFuture(failure));
        }
        case "org.matrix.cross_signing_reset" -> resets.approve(user.id(), user.localpart(), by).map(window -> render(ctx,
            "Reset approved", "<p>Go back to your app and reset your identity now: this approval is valid until "
                + esc(TIME.format(window.expiresAt())) + " and for one reset only.</p>"));
        default -> Future.succeededFuture(renderStatus(ctx, 400, "Unknown action", "<p>Nothing was changed.</p>" + back()));
      };
    }).onFailure(ctx::fail);
  }

  /** The signed-in, usable account, fresh when asked; or a response already sent (sign-in redirect, refusal). */
  private Future<Optional<User>> account(RoutingContext ctx, boolean fresh, String here) {
    Optional<WebSessions.SignedIn> signedIn = WebSessions.signedIn(ctx);
    if (signedIn.isEmpty() || fresh && signedIn.get().authTime().plus(FRESH).isBefore(clock.instant())) {
      PageResponses.redirect(ctx, "/login?next=" + Pages.urlEncode(here));
      return Future.succeededFuture(Optional.empty());
    }
    return users.byId(signedIn.get().userId()).map(user -> {
      if (user.isEmpty() || user.get().deactivated()) {
        WebSessions.signOut(ctx);
        PageResponses.redirect(ctx, "/login?next=" + Pages.urlEncode(here));
        return Optional.empty();
      }
      if (statuses.of(userIds.of(user.get().localpart())).locked()) {
        PageResponses.html(ctx, 403, pages.message("Account locked",
            "This account has been locked by an administrator."));
        return Optional.empty();
      }
      return user;
    });
  }

  private Future<Device> device(User user, String deviceId) {
    return devices.get(user.id(), deviceId == null ? "" : deviceId).map(found -> found.orElse(null));
  }

  private String profile(RoutingContext ctx, User user) {
    String id = userIds.of(user.localpart());
    return "<p>Signed in as <strong>" + esc(id) + "</strong>" + (user.admin() ? " (administrator)" : "") + ".</p>\n"
        + "<ul>\n<li><a href=\"" + PATH + "?action=org.matrix.sessions_list\">Devices and sessions</a></li>\n"
        + "<li><a href=\"" + PATH + "?action=org.matrix.cross_signing_reset\">Reset your digital identity</a></li>\n"
        + "<li><a href=\"" + PATH + "?action=org.matrix.account_deactivate\">Deactivate your account</a></li>\n</ul>\n"
        + Pages.postForm("/logout", Csrf.token(ctx), Map.of(), "Sign out of this browser", "secondary");
  }

  private String devicesList(List<Device> list) {
    if (list.isEmpty()) {
      return "<p>No devices are signed in.</p>" + back();
    }
    StringBuilder rows = new StringBuilder("<table>\n<tr><th>Device</th><th>Name</th><th>Last seen</th></tr>\n");
    for (Device d : list) {
      rows.append("<tr><td><a href=\"").append(PATH).append("?action=org.matrix.session_view&amp;device_id=")
          .append(esc(Pages.urlEncode(d.deviceId()))).append("\"><code>").append(esc(d.deviceId())).append("</code></a></td><td>")
          .append(esc(d.displayName() == null ? "" : d.displayName())).append("</td><td>")
          .append(d.lastSeenAt() == null ? "never" : esc(TIME.format(d.lastSeenAt()))).append("</td></tr>\n");
    }
    return rows.append("</table>\n").append(back()).toString();
  }

  /** Who created the device, as a person recognises it: the client's name, else the appservice or client id. */
  private Future<String> creatorName(Device d) {
    if (d == null) {
      return Future.succeededFuture(null);
    }
    return clients.byId(d.createdBy()).map(client -> client.map(c -> c.metadata().name(List.of())).orElse(d.createdBy()));
  }

  private String deviceView(RoutingContext ctx, Device d, String creator) {
    if (d == null) {
      return "<p>This device does not exist (any more).</p>" + back();
    }
    return "<table>\n<tr><th>Device ID</th><td><code>" + esc(d.deviceId()) + "</code></td></tr>\n"
        + "<tr><th>Name</th><td>" + esc(d.displayName() == null ? "" : d.displayName()) + "</td></tr>\n"
        + "<tr><th>Signed in</th><td>" + esc(TIME.format(d.createdAt())) + " with " + esc(creator) + "</td></tr>\n"
        + "<tr><th>Last seen</th><td>" + (d.lastSeenAt() == null ? "never" : esc(TIME.format(d.lastSeenAt()))
        + " from " + esc(d.lastSeenIp())) + "</td></tr>\n</table>\n"
        + "<p><a href=\"" + PATH + "?action=org.matrix.session_end&amp;device_id=" + esc(Pages.urlEncode(d.deviceId()))
        + "\">Sign out this device</a></p>" + back();
  }

  private String signOutConfirmation(RoutingContext ctx, Device d) {
    if (d == null) {
      return "<p>This device does not exist (any more).</p>" + back();
    }
    return "<p>Signing out <code>" + esc(d.deviceId()) + "</code> ends its sessions: the app on it stops working until"
        + " it signs in again, and its encryption keys are lost unless they are backed up.</p>\n"
        + Pages.postForm(PATH, Csrf.token(ctx), Map.of("action", "org.matrix.session_end", "device_id", d.deviceId()),
        "Sign out " + d.deviceId(), "danger") + back();
  }

  private String deactivateConfirmation(RoutingContext ctx, User user) {
    String id = userIds.of(user.localpart());
    return "<p>Deactivating <strong>" + esc(id) + "</strong> cannot be undone: every device is signed out, you cannot"
        + " sign in again, and nobody can take this user ID.</p>\n"
        + "<form method=\"post\" action=\"" + PATH + "\">\n"
        + "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(Csrf.token(ctx)) + "\">\n"
        + "<input type=\"hidden\" name=\"action\" value=\"org.matrix.account_deactivate\">\n"
        + "<label for=\"confirm_user_id\">Type your user ID to confirm</label>\n"
        + "<input id=\"confirm_user_id\" name=\"confirm_user_id\" autocomplete=\"off\" required>\n"
        + "<button type=\"submit\" class=\"danger\">Deactivate my account</button>\n</form>\n" + back();
  }

  private String resetConfirmation(RoutingContext ctx) {
    return "<p>Your app asks to reset your digital identity (your cross-signing keys). Do this only if you started"
        + " it, for instance because you lost your recovery key: other people and your other devices will have to"
        + " verify you again.</p>\n<p>Approving lets your app replace the keys once, within "
        + resets.window().toMinutes() + " minutes.</p>\n"
        + Pages.postForm(PATH, Csrf.token(ctx), Map.of("action", "org.matrix.cross_signing_reset"), "Approve the reset",
        "danger") + back();
  }

  private String render(RoutingContext ctx, String title, String body) {
    return renderStatus(ctx, 200, title, body);
  }

  private String renderStatus(RoutingContext ctx, int status, String title, String body) {
    PageResponses.html(ctx, status, pages.page(title, body));
    return title;
  }

  private static String back() {
    return "<p><a href=\"" + PATH + "\">Back to your account</a></p>";
  }

  private static String here(String action, String deviceId) {
    return PATH + "?action=" + Pages.urlEncode(action) + (deviceId == null ? "" : "&device_id=" + Pages.urlEncode(deviceId));
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
