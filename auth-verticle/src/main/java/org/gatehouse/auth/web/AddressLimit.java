package org.gatehouse.auth.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/**
 * A per-address limit in front of a page, counted across the cluster: past it the page is not run and the
 * browser gets a 429 page with {@code Retry-After}. A refused request leaves no session behind.
 */
public final class AddressLimit implements Handler<RoutingContext> {
  private final ClusterRateLimiter limiter;
  private final String name;
  private final RateLimit limit;
  private final Predicate<RoutingContext> counted;
  private final Pages pages;

  private AddressLimit(ClusterRateLimiter limiter, String name, RateLimit limit, Predicate<RoutingContext> counted,
                       Pages pages) {
    this.limiter = limiter;
    this.name = name;
    this.limit = limit;
    this.counted = counted;
    this.pages = pages;
  }

  /** Counts every request (mounted before the session handler, so a refused one does not reach the store). */
  public static AddressLimit everyRequest(ClusterRateLimiter limiter, String name, RateLimit limit, Pages pages) {
    return new AddressLimit(limiter, name, limit, ctx -> true, pages);
  }

  /**
   * Counts the requests that would start a browser session (mounted after the session handler): each such session
   * would be kept in the cluster for the anonymous idle timeout, however the request ends.
   */
  public static AddressLimit newSessions(ClusterRateLimiter limiter, RateLimit limit, Pages pages) {
    return new AddressLimit(limiter, "session", limit, ctx -> ctx.session() != null && WebSessions.isNew(ctx.session()),
        pages);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (limit.unlimited() || !counted.test(ctx)) {
      ctx.next();
      return;
    }
    limiter.take(name + ":" + HttpEdge.clientAddress(ctx), limit).onComplete(taken -> {
      if (taken.failed()) {
        ctx.fail(taken.cause());
      } else if (taken.result().isZero()) {
        ctx.next();
      } else {
        if (ctx.session() != null) {
          // Not stored: the store only deletes (nothing) and the browser is told to drop the cookie.
          ctx.session().destroy();
        }
        long seconds = PageResponses.retryAfter(ctx, taken.result());
        pages.send(ctx, 429, new MessageView("Too many requests",
            "Too many sign-in requests came from your network. Try again in " + seconds + " seconds."));
      }
    });
  }
}
