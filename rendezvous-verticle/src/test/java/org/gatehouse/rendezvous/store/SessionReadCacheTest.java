package org.gatehouse.rendezvous.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.WriteResult;
import org.junit.jupiter.api.Test;

/** The node's read cache: what it may serve, and when it must go back to the cluster. */
class SessionReadCacheTest {
  static final long NOW = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

  final AtomicLong nanos = new AtomicLong(1_000);
  final SessionReadCache cache = new SessionReadCache(100, nanos::get);
  final CountingStore shared = new CountingStore();
  final CachingSessionStore store = new CachingSessionStore(shared, cache);

  static RendezvousSession session(String id, String data) {
    return RendezvousSession.create(id, Protocol.MSC4388, data, "token-" + data, Instant.ofEpochMilli(NOW),
        Duration.ofMinutes(2));
  }

  /** The cluster store, as far as reads go: answers what it holds now, and counts how often it is asked. */
  static final class CountingStore implements SessionStore {
    final AtomicInteger reads = new AtomicInteger();
    volatile RendezvousSession held;
    Promise<RendezvousSession> pending;

    @Override
    public Future<Void> create(RendezvousSession session, Duration grace) {
      held = session;
      return Future.succeededFuture();
    }

    @Override
    public Future<RendezvousSession> find(String id, Protocol protocol, long nowMs) {
      reads.incrementAndGet();
      if (pending != null) {
        return pending.future();
      }
      RendezvousSession s = held;
      return Future.succeededFuture(s != null && s.protocol() == protocol && s.isLiveAt(nowMs) ? s : null);
    }

    @Override
    public Future<WriteResult> write(String id, Protocol protocol, Precondition condition, String data,
                                     String newToken, long nowMs) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<RendezvousSession> delete(String id, Protocol protocol, long nowMs) {
      throw new UnsupportedOperationException();
    }
  }

  RendezvousSession find(String id, Protocol protocol, long nowMs) {
    return store.find(id, protocol, nowMs).result();
  }

  @Test
  void repeatedPollsAreServedOnTheNodeUntilTheSessionChanges() {
    shared.held = session("s1", "offer");
    assertThat(find("s1", Protocol.MSC4388, NOW).data()).isEqualTo("offer");
    assertThat(find("s1", Protocol.MSC4388, NOW).data()).isEqualTo("offer");
    assertThat(shared.reads).hasValue(1);

    shared.held = session("s1", "answer");
    cache.invalidate("s1");
    assertThat(find("s1", Protocol.MSC4388, NOW).data()).isEqualTo("answer");
    assertThat(shared.reads).hasValue(2);
  }

  @Test
  void aCachedSessionStillAnswersOnlyToItsProtocolAndOnlyWhileLive() {
    shared.held = session("s2", "offer");
    assertThat(find("s2", Protocol.MSC4388, NOW)).isNotNull();
    assertThat(find("s2", Protocol.MSC4108, NOW)).isNull();
    assertThat(find("s2", Protocol.MSC4388, NOW + Duration.ofMinutes(2).toMillis())).isNull();
  }

  @Test
  void aReadThatStartedBeforeAWriteDoesNotPutTheOldStateBack() {
    shared.pending = Promise.promise();
    Future<RendezvousSession> slowRead = store.find("s3", Protocol.MSC4388, NOW);
    // The write lands and is announced while the read is on its way back with the state from before it.
    cache.invalidate("s3");
    shared.pending.complete(session("s3", "before the write"));
    assertThat(slowRead.result().data()).isEqualTo("before the write");

    shared.pending = null;
    shared.held = session("s3", "after the write");
    assertThat(find("s3", Protocol.MSC4388, NOW).data()).isEqualTo("after the write");
  }

  @Test
  void anEntryIsTrustedForOneSecondAtMostEvenIfNoInvalidationCame() {
    shared.held = session("s4", "offer");
    find("s4", Protocol.MSC4388, NOW);
    shared.held = session("s4", "answer");
    nanos.addAndGet(SessionReadCache.MAX_AGE_NANOS);
    assertThat(find("s4", Protocol.MSC4388, NOW).data()).isEqualTo("offer");
    nanos.addAndGet(1);
    assertThat(find("s4", Protocol.MSC4388, NOW).data()).isEqualTo("answer");
  }

  @Test
  void absentSessionsAreNeverCached() {
    assertThat(find("s5", Protocol.MSC4388, NOW)).isNull();
    shared.held = session("s5", "created later");
    assertThat(find("s5", Protocol.MSC4388, NOW).data()).isEqualTo("created later");
  }

  @Test
  void itHoldsAtMostItsSizeAndMakesRoomByDroppingAgedEntries() {
    for (int i = 0; i < 150; i++) {
      shared.held = session("bulk-" + i, "x");
      find("bulk-" + i, Protocol.MSC4388, NOW);
    }
    assertThat(cache.size()).isEqualTo(100);
    nanos.addAndGet(SessionReadCache.MAX_AGE_NANOS + 1);
    shared.held = session("fresh", "x");
    find("fresh", Protocol.MSC4388, NOW);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void sizeZeroTurnsItOff() {
    SessionReadCache off = new SessionReadCache(0, nanos::get);
    off.put("s6", session("s6", "x"), off.stamp("s6"));
    assertThat(off.enabled()).isFalse();
    assertThat(off.get("s6")).isNull();
  }
}
