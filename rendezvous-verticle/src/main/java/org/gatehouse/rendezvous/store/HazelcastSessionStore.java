package org.gatehouse.rendezvous.store;

import org.gatehouse.infra.hazelcast.HazelcastFutures;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.WriteResult;

/**
 * Sessions in the cluster-wide Hazelcast map {@link RendezvousMaps#SESSIONS}. Reads go to the entry's owner
 * (never a backup), and writes are entry processors on the owner with synchronous backups, so a write
 * acknowledged through one node is what the next read through any node sees.
 */
public final class HazelcastSessionStore implements SessionStore {
  private final Vertx vertx;
  private final IMap<String, SessionRecord> sessions;

  public HazelcastSessionStore(Vertx vertx, IMap<String, SessionRecord> sessions) {
    this.vertx = vertx;
    this.sessions = sessions;
  }

  @Override
  public Future<Void> create(RendezvousSession session, Duration grace) {
    // Hazelcast's time to live runs on its own wall clock; it only reaps. Expiry itself is decided by the session's
    // own expiry instant, so tests can move time and a reaped-late entry is never served.
    long ttl = Math.max(1, session.expiresAtMs() - session.createdAtMs() + grace.toMillis());
    return onContext(sessions.setAsync(session.id(), new SessionRecord(session), ttl, TimeUnit.MILLISECONDS));
  }

  @Override
  public Future<RendezvousSession> find(String id, Protocol protocol, long nowMs) {
    return onContext(sessions.getAsync(id)).map(stored -> {
      if (stored == null || stored.session().protocol() != protocol || !stored.session().isLiveAt(nowMs)) {
        return null;
      }
      return stored.session();
    });
  }

  @Override
  public Future<WriteResult> write(String id, Protocol protocol, Precondition condition, String data,
                                   String newToken, long nowMs) {
    return onContext(sessions.submitToKey(id, new WriteSession(protocol, condition, data, newToken, nowMs)))
        .map(WriteReply::result);
  }

  @Override
  public Future<RendezvousSession> delete(String id, Protocol protocol, long nowMs) {
    return onContext(sessions.submitToKey(id, new DeleteSession(protocol, nowMs)))
        .map(removed -> removed == null ? null : removed.session());
  }

  /** Continues on the caller's Vert.x context, not on a Hazelcast thread. */
  private <T> Future<T> onContext(CompletionStage<T> stage) {
    return HazelcastFutures.onContext(stage, vertx.getOrCreateContext());
  }
}
