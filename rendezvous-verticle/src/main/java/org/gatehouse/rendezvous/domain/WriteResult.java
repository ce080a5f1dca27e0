package org.gatehouse.rendezvous.domain;

/** What became of a write to a session. */
public sealed interface WriteResult {
  /** The session after the write (or as it stands, for a conflict), or null when it does not exist. */
  RendezvousSession session();

  /** The payload was replaced and the token renewed. */
  record Written(RendezvousSession session) implements WriteResult {
  }

  /** A repeat of the last write: nothing changed, and the current token is the answer. */
  record Retried(RendezvousSession session) implements WriteResult {
  }

  /** The writer's token is stale; {@code session} is the current state. */
  record Conflict(RendezvousSession session) implements WriteResult {
  }

  /** No live session with that id (never created, deleted, expired, or of the other protocol). */
  record Missing() implements WriteResult {
    @Override
    public RendezvousSession session() {
      return null;
    }
  }
}
