package org.gatehouse.auth.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.web.view.MessageView;

/**
 * The CSRF check of a page POST, mounted before the page's own handlers (by {@link PageRoutes#post}, so no POST
 * route is without one): a form that does not bring back the session's token ({@link Csrf}) never reaches them, and
 * the browser gets the page's own answer for an expired form.
 */
public final class CsrfGuard implements Handler<RoutingContext> {
  /** The form field every page form carries the token in. */
  static final String FIELD = "csrf";

  private final Handler<RoutingContext> refusal;

  private CsrfGuard(Handler<RoutingContext> refusal) {
    this.refusal = refusal;
  }

  /** Answers a refused form with {@code refusal}, e.g. the same form again with an error. */
  public static CsrfGuard refusingWith(Handler<RoutingContext> refusal) {
    return new CsrfGuard(refusal);
  }

  /** Answers a refused form with a 403 page saying it expired, and {@code advice} on what to do. */
  public static CsrfGuard refusingWithMessage(Pages pages, String advice) {
    return new CsrfGuard(ctx -> pages.send(ctx, 403, new MessageView("This form has expired", advice)));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (Csrf.valid(ctx, ctx.request().formAttributes().get(FIELD))) {
      ctx.next();
    } else {
      refusal.handle(ctx);
    }
  }
}
