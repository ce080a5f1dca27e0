package org.gatehouse.auth.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.AbstractSession;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;
import java.time.Duration;

/**
 * Where browser sessions live: Vert.x's shared async map (Hazelcast, with its backup, when the node is clustered),
 * stored as Vert.x's {@code ClusteredSessionStore} stores them, with two differences that bound what cookie-less
 * requests can make the cluster hold:
 *
 * <ul>
 *   <li>A session nobody is signed in to is kept only for the short anonymous idle timeout; the session's own
 *       timeout (the signed-in one) applies from the moment someone signs in. Each store of the session sets its
 *       expiry again, so a sign-out brings it back to the short one.</li>
 *   <li>A session that is not in the map is not waited for. Vert.x's clustered store looks again for 5 s in case a
 *       write made on another node has not arrived; every page here stores its session before it answers
 *       ({@link WebSessions#flushThen}), and a Hazelcast read after that write sees it. Waiting would only let a
 *       request with a made-up cookie cost a thousand reads.</li>
 * </ul>
 */
final class WebSessionStore implements SessionStore {
  /** The map Vert.x's clustered session store used, so sessions survive an upgrade to this store. */
  static final String MAP = "vertx-web.sessions";

  private final Vertx vertx;
  private final VertxContextPRNG random;
  private final long anonymousTimeoutMillis;
  private volatile AsyncMap<String, Session> sessions;

  WebSessionStore(Vertx vertx, Duration anonymousTimeout) {
    this.vertx = vertx;
    this.random = VertxContextPRNG.current(vertx);
    this.anonymousTimeoutMillis = anonymousTimeout.toMillis();
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    return this;
  }

  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return createSession(timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new SharedDataSessionImpl(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    return map().compose(map -> map.get(id)).onSuccess(session -> {
      if (session != null) {
        ((AbstractSession) session).setPRNG(random);
      }
    });
  }

  @Override
  public Future<Void> delete(String id) {
    return map().compose(map -> map.remove(id)).mapEmpty();
  }

  /** Stores {@code session} unless another request stored a newer version since it was read (as Vert.x's store). */
  @Override
  public Future<Void> put(Session session) {
    AbstractSession updated = (AbstractSession) session;
    return map().compose(map -> map.get(session.id()).compose(stored -> {
      if (stored != null && ((AbstractSession) stored).version() != updated.version()) {
        return Future.failedFuture(new IllegalStateException("Session version mismatch"));
      }
      updated.incrementVersion();
      return map.put(session.id(), session, expiryOf(session));
    }));
  }

  /** How long {@code session} is kept from now: short until someone signs in to it. */
  long expiryOf(Session session) {
    return WebSessions.isSignedIn(session) ? session.timeout() : Math.min(anonymousTimeoutMillis, session.timeout());
  }

  @Override
  public Future<Void> clear() {
    return map().compose(AsyncMap::clear);
  }

  @Override
  public Future<Integer> size() {
    return map().compose(AsyncMap::size);
  }

  @Override
  public void close() {
  }

  private Future<AsyncMap<String, Session>> map() {
    AsyncMap<String, Session> map = sessions;
    if (map != null) {
      return Future.succeededFuture(map);
    }
    return vertx.sharedData().<String, Session>getAsyncMap(MAP).onSuccess(found -> sessions = found);
  }
}
