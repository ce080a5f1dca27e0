package org.gatehouse.rendezvous.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.rendezvous.RendezvousAddresses;
import org.gatehouse.rendezvous.SessionChanged;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.Tokens;
import org.gatehouse.rendezvous.domain.WriteResult;
import org.gatehouse.rendezvous.store.SessionCapacity;
import org.gatehouse.rendezvous.store.SessionReadCache;
import org.gatehouse.rendezvous.store.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both wire formats do with a session, independent of how they spell it: create within the cluster's
 * capacity, read, write with a precondition, delete, and wait for a change.
 *
 * <p>Every stored change is announced on {@link RendezvousAddresses#SESSION_CHANGED} before it is answered: first
 * to each node, which drops the session from its read cache and acknowledges, then published, which wakes the
 * long-polls. So the next read on any node sees the write. A node that does not acknowledge within
 * {@link #ANNOUNCE_TIMEOUT} does not fail the write, which is stored and cannot be taken back: its cache ages the
 * entry out within a second, and its long-polls still hear the publish.
 */
public final class RendezvousService {
  /** How long Hazelcast keeps an entry past its expiry before reaping it (it is never served then). */
  static final Duration REAP_GRACE = Duration.ofSeconds(10);
  /** A full store is worth telling the operator, but not once per refused request. */
  private static final long FULL_WARNING_INTERVAL_MS = 60_000;
  /** How long a write waits for every node to drop the session from its read cache. */
  public static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(RendezvousService.class);

  private final Vertx vertx;
  private final ClusterBroadcast announcements;
  private final SessionReadCache readCache;
  private final SessionStore store;
  private final SessionCapacity capacity;
  private final ChangeWaiters waiters;
  private final Clock clock;
  private final Duration lifetime;
  private final AtomicLong lastFullWarning = new AtomicLong();

  /** @param announcements acknowledged delivery to every node, with {@link #ANNOUNCE_TIMEOUT} */
  public RendezvousService(Vertx vertx, ClusterBroadcast announcements, SessionReadCache readCache,
                           SessionStore store, SessionCapacity capacity, ChangeWaiters waiters, Clock clock,
                           Duration lifetime) {
    this.vertx = vertx;
    this.announcements = announcements;
    this.readCache = readCache;
    this.store = store;
    this.capacity = capacity;
    this.waiters = waiters;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Creates a session holding {@code data}. Fails with {@code 429 M_LIMIT_EXCEEDED} and the time until a slot
   * frees up when the cluster already holds the maximum number of live sessions.
   */
  public Future<RendezvousSession> create(Protocol protocol, String data) {
    RendezvousSession session = RendezvousSession.create(Tokens.newId(), protocol, data, Tokens.newToken(),
        clock.instant(), lifetime);
    long now = session.createdAtMs();
    return capacity.reserve(session.expiresAtMs(), now)
        .compose(wait -> wait > 0 ? Future.failedFuture(full(wait, now)) : store.create(session, REAP_GRACE)
            .recover(failure -> capacity.release(session.expiresAtMs(), now)
                .transform(released -> Future.failedFuture(failure))))
        .map(stored -> session);
  }

  /** The live session, or {@code 404 M_NOT_FOUND}. */
  public Future<RendezvousSession> read(String id, Protocol protocol) {
    return store.find(id, protocol, clock.millis()).compose(RendezvousService::found);
  }

  /**
   * Writes {@code data} if {@code condition} holds. Completes with the result (written, retried or conflict);
   * fails with {@code 404 M_NOT_FOUND} when there is no live session.
   */
  public Future<WriteResult> write(String id, Protocol protocol, Precondition condition, String data) {
    return store.write(id, protocol, condition, data, Tokens.newToken(), clock.millis())
        .compose(result -> {
          if (result instanceof WriteResult.Missing) {
            return Future.failedFuture(notFound());
          }
          if (result instanceof WriteResult.Written) {
            return announce(SessionChanged.written(id, result.session().token())).map(result);
          }
          return Future.succeededFuture(result);
        });
  }

  /** Deletes the session and frees its slot; {@code 404 M_NOT_FOUND} when there is none. */
  public Future<Void> delete(String id, Protocol protocol) {
    long now = clock.millis();
    return store.delete(id, protocol, now)
        .compose(RendezvousService::found)
        .compose(removed -> announce(SessionChanged.deleted(id))
            // The session is gone whatever happens to the slot; a slot not given back frees itself at expiry.
            .compose(announced -> capacity.release(removed.expiresAtMs(), now).otherwiseEmpty()));
  }

  /**
   * Waits until the session's token is no longer {@code seenToken}, at most {@code maxWait}, then completes with
   * the session as it stands (changed, or unchanged at the timeout); fails with {@code 404 M_NOT_FOUND} when it
   * is deleted or expires meanwhile. Must be called on the event loop that will use the answer.
   */
  public LongPoll awaitChange(String id, Protocol protocol, String seenToken, Duration maxWait) {
    LongPoll poll = new LongPoll(vertx, vertx.getOrCreateContext(), waiters, () -> read(id, protocol), clock, id,
        seenToken, maxWait);
    poll.start();
    return poll;
  }

  /** Live sessions across the cluster now (slots held). */
  public Future<Long> liveSessions() {
    return capacity.live(clock.millis());
  }

  private Future<Void> announce(SessionChanged change) {
    JsonObject body = change.toJson();
    // This node's cache directly; the others' through the bus, each acknowledging.
    readCache.invalidate(change.id());
    return announcements.publishToOthers(RendezvousAddresses.SESSION_CHANGED, body).recover(failure -> {
      // (The broadcast has logged which node stayed silent.) Wake the long-polls anyway.
      vertx.eventBus().publish(RendezvousAddresses.SESSION_CHANGED, body);
      return Future.succeededFuture();
    });
  }

  private static Future<RendezvousSession> found(RendezvousSession session) {
    return session == null ? Future.failedFuture(notFound()) : Future.succeededFuture(session);
  }

  static MatrixError notFound() {
    return MatrixError.notFound("Unknown or expired rendezvous session");
  }

  private MatrixError full(long waitMs, long nowMs) {
    long last = lastFullWarning.get();
    if (nowMs - last >= FULL_WARNING_INTERVAL_MS && lastFullWarning.compareAndSet(last, nowMs)) {
      LOG.warn("rendezvous: {} sessions are live across the cluster, the most rendezvous.max_sessions allows; "
          + "creation is refused until one ends (next in {} ms)", capacity.max(), waitMs);
    }
    return new MatrixError(429, "M_LIMIT_EXCEEDED",
        "The server holds as many rendezvous sessions as it allows; try again shortly",
        new JsonObject().put("retry_after_ms", Math.max(1, waitMs)));
  }
}
