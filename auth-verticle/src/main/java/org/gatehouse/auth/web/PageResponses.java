package org.gatehouse.auth.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Sends pages with the headers every page carries: a Content-Security-Policy that allows only our own
 * stylesheet and https images (client logos), no framing (clickjacking), no referrer (codes in URLs must not
 * leak to logos' hosts), no caching.
 */
public final class PageResponses {
  static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; "
      + "frame-ancestors 'none'; base-uri 'none'";

  private PageResponses() {
  }

  public static void html(RoutingContext ctx, int status, String html) {
    WebSessions.flushThen(ctx, () -> secure(ctx.response()).setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8").end(html));
  }

  /** A 303 to {@code location}: after a form POST the browser follows with a GET. */
  public static void redirect(RoutingContext ctx, String location) {
    WebSessions.flushThen(ctx, () -> secure(ctx.response()).setStatusCode(303).putHeader("Location", location).end());
  }

  /**
   * Sets {@code Retry-After} for a page refused by a limit, in whole seconds rounded up (at least 1); returns them
   * for the page's text.
   */
  public static long retryAfter(RoutingContext ctx, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    return seconds;
  }

  private static HttpServerResponse secure(HttpServerResponse response) {
    return response
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store");
  }
}
