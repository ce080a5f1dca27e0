package org.gatehouse.rendezvous.store;

import io.vertx.core.Future;
import java.time.Duration;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.WriteResult;

/**
 * Where sessions live. Every operation names the protocol: a session answers only to the one that created it.
 * Times come from the caller's clock; an expired session is absent even if the storage has not reaped it yet.
 */
public interface SessionStore {
  /** Stores a new session; the storage may forget it {@code grace} after it expires. */
  Future<Void> create(RendezvousSession session, Duration grace);

  /** The live session {@code id} of {@code protocol}, or null. */
  Future<RendezvousSession> find(String id, Protocol protocol, long nowMs);

  /** A conditional write, atomic with respect to every other write on any node. */
  Future<WriteResult> write(String id, Protocol protocol, Precondition condition, String data, String newToken,
                            long nowMs);

  /** Removes the session; completes with what was removed, or null when there was no live session. */
  Future<RendezvousSession> delete(String id, Protocol protocol, long nowMs);
}
