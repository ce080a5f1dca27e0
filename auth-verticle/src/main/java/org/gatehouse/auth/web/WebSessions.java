package org.gatehouse.auth.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.AbstractSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The browser session of the web pages. It lives in the cluster (Hazelcast, through {@link WebSessionStore}), so a
 * sign-in started on one node completes on another. A session nobody has signed in to expires after the short
 * anonymous idle timeout, a signed-in one after the configured idle timeout. The cookie is
 * {@code __Host-gatehouse_session}: HttpOnly, SameSite=Lax (the OAuth flow arrives by top-level navigation from the
 * client's site), always Secure, {@code Path=/} and no {@code Domain}. The {@code __Host-} prefix makes browsers
 * refuse a cookie of that name that lacks any of these, so a sibling subdomain cannot plant one (session swap).
 * Browsers keep Secure cookies from https and from loopback http only, which is why the launcher refuses an
 * {@code http://} public URL elsewhere.
 */
public final class WebSessions {
  public static final String COOKIE = "__Host-gatehouse_session";
  /** Routing-context key of the session handler, so a page can flush the session before it answers. */
  static final String HANDLER = "gatehouse.session_handler";
  static final String USER = "uid";
  static final String AUTH_TIME = "auth_time";

  /** Who is signed in to this browser, and when they last typed their password. */
  public record SignedIn(UUID userId, Instant authTime) {
  }

  private WebSessions() {
  }

  /**
   * @param idleTimeout how long a signed-in session lives without activity
   * @param anonymousIdleTimeout the same for a session nobody is signed in to (e.g. one a cookie-less request made)
   */
  public static Handler<RoutingContext> handler(Vertx vertx, Duration idleTimeout, Duration anonymousIdleTimeout) {
    var store = new WebSessionStore(vertx, anonymousIdleTimeout);
    SessionHandler sessions = SessionHandler.create(store)
        .setSessionCookieName(COOKIE)
        .setSessionCookiePath("/")
        .setSessionTimeout(idleTimeout.toMillis())
        .setCookieHttpOnlyFlag(true)
        .setCookieSecureFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setMinLength(32);
    return ctx -> {
      ctx.put(HANDLER, sessions);
      sessions.handle(ctx);
    };
  }

  /**
   * Stores the session, then runs {@code respond}. Left to itself, the session handler stores the session while the
   * response is already on its way; with a clustered store the browser's next request (on any node) could then
   * read the session from before this one, without the CSRF token or the sign-in just written.
   */
  static void flushThen(RoutingContext ctx, Runnable respond) {
    SessionHandler sessions = ctx.get(HANDLER);
    if (sessions == null || ctx.session() == null) {
      respond.run();
      return;
    }
    sessions.flush(ctx).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else {
        respond.run();
      }
    });
  }

  /** Whether someone is signed in to {@code session}. */
  static boolean isSignedIn(Session session) {
    return session.get(USER) != null;
  }

  /**
   * Whether {@code session} was made for this request rather than found in the store: the request had no cookie, or
   * one naming a session that expired. (Every store increments the version, so a stored session is never at 0.)
   */
  static boolean isNew(Session session) {
    return session instanceof AbstractSession stored && stored.version() == 0;
  }

  public static Optional<SignedIn> signedIn(RoutingContext ctx) {
    Session session = ctx.session();
    if (session == null || session.get(USER) == null) {
      return Optional.empty();
    }
    Long authTime = session.get(AUTH_TIME);
    return Optional.of(new SignedIn(UUID.fromString(session.get(USER)), Instant.ofEpochMilli(authTime)));
  }

  /** Records a sign-in; a new session id defeats session fixation. */
  public static void signIn(RoutingContext ctx, UUID userId, Instant at) {
    Session session = ctx.session();
    session.regenerateId();
    session.put(USER, userId.toString());
    session.put(AUTH_TIME, at.toEpochMilli());
  }

  public static void signOut(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null) {
      session.remove(USER);
      session.remove(AUTH_TIME);
      session.regenerateId();
    }
  }
}
