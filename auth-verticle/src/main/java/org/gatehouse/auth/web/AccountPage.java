package org.gatehouse.auth.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.crosssigning.CrossSigningResets;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.web.account.ApproveIdentityReset;
import org.gatehouse.auth.web.account.ConfirmDeactivation;
import org.gatehouse.auth.web.account.ConfirmDeviceSignOut;
import org.gatehouse.auth.web.account.ConfirmIdentityReset;
import org.gatehouse.auth.web.account.DeactivateAccount;
import org.gatehouse.auth.web.account.ListDevices;
import org.gatehouse.auth.web.account.ShowDevice;
import org.gatehouse.auth.web.account.ShowProfile;
import org.gatehouse.auth.web.account.SignOutDevice;
import org.gatehouse.auth.web.view.AccountNoticeView;
import org.gatehouse.auth.web.view.QueryValues;

/**
 * {@code /account}, the {@code account_management_uri} (MSC4191): the user's profile, devices and sessions, and
 * the destructive actions — signing a device out, deactivating the account, approving a cross-signing reset
 * (MSC4312). Links can be crafted by anyone, so a GET only ever shows what would happen; the action happens on a
 * POST with the CSRF token, and only if the user typed their password within the last few minutes.
 *
 * <p>Each action is one handler ({@code web.account}), chosen by its name: what a GET shows from {@link #views},
 * what a POST changes from {@link #changes}.
 */
public final class AccountPage {
  public static final String PATH = "/account";
  /** The actions this page understands, with the newer device spellings as aliases of the session ones. */
  public static final List<String> ACTIONS = List.of("org.matrix.profile", "org.matrix.sessions_list",
      "org.matrix.session_view", "org.matrix.session_end", "org.matrix.devices_list", "org.matrix.device_view",
      "org.matrix.device_delete", "org.matrix.account_deactivate", "org.matrix.cross_signing_reset");
  /** How recent a sign-in must be for a destructive action. */
  static final Duration FRESH = Duration.ofMinutes(5);
  private static final String PROFILE = "org.matrix.profile";
  private static final String SESSIONS_LIST = "org.matrix.sessions_list";
  private static final String SESSION_VIEW = "org.matrix.session_view";
  private static final String SESSION_END = "org.matrix.session_end";
  private static final String ACCOUNT_DEACTIVATE = "org.matrix.account_deactivate";
  private static final String CROSS_SIGNING_RESET = "org.matrix.cross_signing_reset";
  /** The newer device spellings (MSC4191 renamed the session actions). */
  private static final Map<String, String> ALIASES = Map.of("org.matrix.devices_list", SESSIONS_LIST,
      "org.matrix.device_view", SESSION_VIEW, "org.matrix.device_delete", SESSION_END);

  /** What a GET shows, by (normalised) action: every action has a page. */
  private final Map<String, Handler<RoutingContext>> views;
  /** What a POST changes, by action: the destructive ones. Their GET page is a confirmation. */
  private final Map<String, Handler<RoutingContext>> changes;
  private final Pages pages;
  private final BrowserAccountHandler accountWhenConfirming;
  private final BrowserAccountHandler freshAccount;

  public AccountPage(BrowserAccounts accounts, ClientStore clients, DeviceStore devices, SessionTerminator terminator,
                     Deactivation deactivation, CrossSigningResets resets, Pages pages, UserIds userIds, Clock clock) {
    this.pages = pages;
    this.views = Map.of(
        PROFILE, new ShowProfile(pages, userIds),
        SESSIONS_LIST, new ListDevices(devices, pages),
        SESSION_VIEW, new ShowDevice(devices, clients, pages),
        SESSION_END, new ConfirmDeviceSignOut(devices, pages),
        ACCOUNT_DEACTIVATE, new ConfirmDeactivation(pages, userIds),
        CROSS_SIGNING_RESET, new ConfirmIdentityReset(resets, pages));
    this.changes = Map.of(
        SESSION_END, new SignOutDevice(terminator, pages, userIds),
        ACCOUNT_DEACTIVATE, new DeactivateAccount(deactivation, pages, userIds),
        CROSS_SIGNING_RESET, new ApproveIdentityReset(resets, pages, userIds));
    BrowserAccountHandler account = accounts.returningTo(AccountPage::here);
    // A GET only shows; but the page that confirms a destructive action asks for the password first, so that the
    // button on it works.
    this.accountWhenConfirming = account.signedInSince(ctx -> changes.containsKey(action(ctx))
        ? clock.instant().minus(FRESH) : null);
    this.freshAccount = account.signedInSince(ctx -> clock.instant().minus(FRESH));
  }

  public void mount(PageRoutes routes) {
    routes.get(PATH, accountWhenConfirming, ctx -> views.get(action(ctx)).handle(ctx));
    routes.post(PATH, CsrfGuard.refusingWithMessage(pages, "Go back and try again."), freshAccount,
        ctx -> changes.getOrDefault(action(ctx), this::unknownChange).handle(ctx));
  }

  private void unknownChange(RoutingContext ctx) {
    pages.send(ctx, 400, new AccountNoticeView("Unknown action", "Nothing was changed."));
  }

  /** The action asked for: the query's on a GET, the form's on a POST. */
  private static String action(RoutingContext ctx) {
    return normalise(parameter(ctx, "action"));
  }

  private static String parameter(RoutingContext ctx, String name) {
    return ctx.request().method() == HttpMethod.GET ? ctx.queryParams().get(name)
        : ctx.request().formAttributes().get(name);
  }

  /** This page with the same action, for the sign-in page to lead back to. */
  private static String here(RoutingContext ctx) {
    String deviceId = parameter(ctx, "device_id");
    return PATH + "?action=" + QueryValues.encode(action(ctx))
        + (deviceId == null ? "" : "&device_id=" + QueryValues.encode(deviceId));
  }

  /** Both spellings of the device actions lead to the same page; no action, or an unknown one, is the profile. */
  private static String normalise(String action) {
    String canonical = action == null ? PROFILE : ALIASES.getOrDefault(action, action);
    return ACTIONS.contains(canonical) ? canonical : PROFILE;
  }
}
