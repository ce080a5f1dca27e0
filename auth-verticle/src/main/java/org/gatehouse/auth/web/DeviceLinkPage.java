package org.gatehouse.auth.web;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.DeviceGrant;
import org.gatehouse.auth.devicegrant.DeviceGrants;
import org.gatehouse.auth.devicegrant.LinkOutcome;
import org.gatehouse.auth.domain.UserCodes;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.web.view.DeviceLinkView;
import org.gatehouse.auth.web.view.LinkCodeView;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.infra.ratelimit.Budget;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/**
 * {@code /link}, the {@code verification_uri} of the device authorization grant: the user enters (or follows a
 * link carrying) the code shown by the new device, signs in if needed, sees which application and which device
 * ID is asking and from where, and approves or denies with a POST. Wrong codes are limited per address and for
 * all addresses together, so codes cannot be guessed; a locked account cannot approve.
 *
 * <p>Every code typed pays a token from both buckets <em>before</em> it is looked up, and a code that exists gives
 * them back (the limits are about wrong codes). Paying only after a miss would let guesses sent at the same moment
 * all find the same remaining token.
 */
public final class DeviceLinkPage {
  public static final String PATH = "/link";
  static final String CONFIRM = "/link/confirm";
  static final String SESSION_KEY = "link.grant";
  /** The key of the bucket every address shares. */
  static final String ALL_ADDRESSES = "link:all";

  /** Routing-context key of the grant this browser is deciding on, once found still waiting. */
  private static final String GRANT = "gatehouse.link_grant";

  private final DeviceGrants grants;
  private final ClientStore clients;
  private final ClusterRateLimiter limiter;
  private final RateLimit wrongCodesPerAddress;
  private final RateLimit wrongCodesCluster;
  private final Pages pages;
  private final UserIds userIds;
  private final Clock clock;
  private final BrowserAccountHandler account;

  public DeviceLinkPage(DeviceGrants grants, ClientStore clients, BrowserAccounts accounts, ClusterRateLimiter limiter,
                        RateLimit wrongCodesPerAddress, RateLimit wrongCodesCluster, Pages pages, UserIds userIds,
                        Clock clock) {
    this.grants = grants;
    this.clients = clients;
    this.limiter = limiter;
    this.wrongCodesPerAddress = wrongCodesPerAddress;
    this.wrongCodesCluster = wrongCodesCluster;
    this.pages = pages;
    this.userIds = userIds;
    this.clock = clock;
    this.account = accounts.returningTo(ctx -> CONFIRM)
        .explainingLockWith("This account has been locked by an administrator, so it cannot sign in other devices.");
  }

  public void mount(PageRoutes routes) {
    routes.get(PATH, this::show);
    routes.post(PATH, CsrfGuard.refusingWith(ctx -> codeForm(ctx, 403, "", "This form has expired. Please try again.")),
        this::submit);
    // The grant first: a browser that has none is sent to type a code, whoever is signed in.
    routes.get(CONFIRM, this::grantOfThisBrowser, account, this::stillAwaiting, this::confirm);
    routes.post(CONFIRM, CsrfGuard.refusingWithMessage(pages, "Go back and try again."), this::grantOfThisBrowser,
        account, this::stillAwaiting, this::decide);
  }

  void show(RoutingContext ctx) {
    String code = ctx.queryParams().get("code");
    if (code == null) {
      codeForm(ctx, 200, "", null);
    } else {
      lookUp(ctx, code);
    }
  }

  void submit(RoutingContext ctx) {
    lookUp(ctx, ctx.request().formAttributes().get("code"));
  }

  private void lookUp(RoutingContext ctx, String typed) {
    // The address first: one address's flood is then refused from memory and costs the shared bucket nothing.
    List<Budget> budgets = List.of(new Budget("link:" + HttpEdge.clientAddress(ctx), wrongCodesPerAddress),
        new Budget(ALL_ADDRESSES, wrongCodesCluster));
    limiter.takeEach(budgets).compose(wait -> {
      if (!wait.isZero()) {
        long seconds = PageResponses.retryAfter(ctx, wait);
        codeForm(ctx, 429, typed == null ? "" : typed, "Too many wrong codes. Try again in " + seconds + " seconds.");
        return Future.succeededFuture();
      }
      String code = UserCodes.normalise(typed);
      Future<Optional<DeviceGrant>> found = code == null ? Future.succeededFuture(Optional.empty())
          : grants.pendingByUserCode(code);
      return found.compose(grant -> {
        if (grant.isEmpty()) {
          codeForm(ctx, 400, typed == null ? "" : typed, "That code is not valid or has expired.");
          return Future.succeededFuture();
        }
        ctx.session().put(SESSION_KEY, grant.get().id().toString());
        PageResponses.redirect(ctx, CONFIRM);
        // A code that exists is not a wrong one: its tokens go back (a refund that fails only leaves them stricter).
        return limiter.refund(budgets).otherwiseEmpty();
      });
    }).onFailure(ctx::fail);
  }

  private void codeForm(RoutingContext ctx, int status, String typed, String error) {
    pages.send(ctx, status, new LinkCodeView(Csrf.token(ctx), typed, error));
  }

  /** Sends a browser that has no code in progress to the code form. */
  private void grantOfThisBrowser(RoutingContext ctx) {
    if (ctx.session().get(SESSION_KEY) == null) {
      PageResponses.redirect(ctx, PATH);
    } else {
      ctx.next();
    }
  }

  /** Finds this browser's grant still waiting for a decision, or forgets it and says it is over. */
  private void stillAwaiting(RoutingContext ctx) {
    grants.awaitingDecision(UUID.fromString(ctx.session().get(SESSION_KEY))).onSuccess(grant -> {
      if (grant.isEmpty()) {
        ctx.session().remove(SESSION_KEY);
        pages.send(ctx, 410, new MessageView("This request is over",
            "It was already approved or denied, or it expired. Start again on the new device."));
      } else {
        ctx.put(GRANT, grant.get());
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  void confirm(RoutingContext ctx) {
    DeviceGrant grant = ctx.get(GRANT);
    User user = BrowserAccountHandler.user(ctx);
    clients.byId(grant.clientId()).onSuccess(client -> {
      var languages = ConsentPage.languages(ctx);
      var metadata = client.orElseThrow().metadata();
      String deviceId = Scope.parse(grant.scope()).deviceId();
      long minutesLeft = Math.max(0, Duration.between(clock.instant(), grant.expiresAt()).toMinutes());
      pages.send(ctx, 200, new DeviceLinkView(Csrf.token(ctx), userIds.of(user.localpart()),
          metadata.name(languages), metadata.clientUri(), deviceId == null ? "(none)" : deviceId,
          grant.requestedFrom() == null ? "unknown" : grant.requestedFrom(),
          grant.requestedByAgent() == null ? "unknown" : grant.requestedByAgent(), grant.userCode(), minutesLeft));
    }).onFailure(ctx::fail);
  }

  void decide(RoutingContext ctx) {
    DeviceGrant grant = ctx.get(GRANT);
    User user = BrowserAccountHandler.user(ctx);
    boolean approve = "approve".equals(ctx.request().formAttributes().get("action"));
    (approve ? grants.approve(grant.id(), user) : grants.deny(grant.id(), user))
        .onSuccess(outcome -> answer(ctx, outcome))
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, LinkOutcome outcome) {
    if (outcome instanceof LinkOutcome.Approved) {
      ctx.session().remove(SESSION_KEY);
      pages.send(ctx, 200, new MessageView("Device approved", "Go back to your new device: it is signing in."));
    } else if (outcome instanceof LinkOutcome.Denied) {
      ctx.session().remove(SESSION_KEY);
      pages.send(ctx, 200, new MessageView("Request denied", "The device was not signed in."));
    } else if (outcome instanceof LinkOutcome.HomeserverAway away) {
      // Nothing was decided: the request still waits, and this browser keeps it.
      ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, away.retryAfter().toSeconds())));
      pages.send(ctx, 503, new MessageView("Try again in a moment",
          "The device could not be signed in just now. Nothing was decided: go back and press Approve again."));
    } else {
      pages.send(ctx, 410, new MessageView("This request is over",
          "It was already decided or it expired. Start again on the new device."));
    }
  }
}
