package org.gatehouse.rendezvous.store;

import io.vertx.core.Future;
import java.time.Duration;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.WriteResult;

/**
 * Reads through this node's {@link SessionReadCache}; everything else goes straight to the shared store, which
 * stays the only authority for writes (preconditions are always checked on the entry's owner).
 */
public final class CachingSessionStore implements SessionStore {
  private final SessionStore shared;
  private final SessionReadCache cache;

  public CachingSessionStore(SessionStore shared, SessionReadCache cache) {
    this.shared = shared;
    this.cache = cache;
  }

  @Override
  public Future<Void> create(RendezvousSession session, Duration grace) {
    return shared.create(session, grace);
  }

  @Override
  public Future<RendezvousSession> find(String id, Protocol protocol, long nowMs) {
    RendezvousSession held = cache.get(id);
    if (held != null) {
      return Future.succeededFuture(held.protocol() == protocol && held.isLiveAt(nowMs) ? held : null);
    }
    long stamp = cache.stamp(id);
    return shared.find(id, protocol, nowMs).andThen(found -> {
      if (found.succeeded() && found.result() != null) {
        cache.put(id, found.result(), stamp);
      }
    });
  }

  @Override
  public Future<WriteResult> write(String id, Protocol protocol, Precondition condition, String data,
                                   String newToken, long nowMs) {
    return shared.write(id, protocol, condition, data, newToken, nowMs);
  }

  @Override
  public Future<RendezvousSession> delete(String id, Protocol protocol, long nowMs) {
    return shared.delete(id, protocol, nowMs);
  }
}
