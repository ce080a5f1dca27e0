package org.gatehouse.rendezvous.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * MSC4388's guard on reading a session: a request that looks like a browser top-level navigation (someone opened
 * a session URL, or a page tricked the browser into it) must not be given the payload. Browsers send the
 * {@code Sec-Fetch-*} headers themselves and pages cannot forge them; other clients send none.
 */
final class SecFetch {
  private SecFetch() {
  }

  static boolean looksLikeNavigation(HttpServerRequest request) {
    String dest = request.getHeader("Sec-Fetch-Dest");
    if (dest != null && !dest.trim().equalsIgnoreCase("empty")) {
      return true;
    }
    String mode = request.getHeader("Sec-Fetch-Mode");
    if (mode != null && mode.trim().equalsIgnoreCase("navigate")) {
      return true;
    }
    String user = request.getHeader("Sec-Fetch-User");
    if (user != null && user.trim().equals("?1")) {
      return true;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    return site != null && site.trim().equalsIgnoreCase("none");
  }
}
