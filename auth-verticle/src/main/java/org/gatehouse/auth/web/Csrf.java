package org.gatehouse.auth.web;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.gatehouse.auth.crypto.Digests;

/**
 * Synchronizer tokens against cross-site request forgery: every form carries the session's token, and every
 * POST must bring it back. Compared in constant time.
 */
public final class Csrf {
  static final String KEY = "csrf";

  private Csrf() {
  }

  public static String token(RoutingContext ctx) {
    Session session = ctx.session();
    String token = session.get(KEY);
    if (token == null) {
      token = Digests.randomAlphanumeric(32);
      session.put(KEY, token);
    }
    return token;
  }

  public static boolean valid(RoutingContext ctx, String presented) {
    Session session = ctx.session();
    String expected = session == null ? null : session.get(KEY);
    return expected != null && presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }
}
