package org.gatehouse.rendezvous;

/**
 * The event-bus addresses of the rendezvous module (listed in {@code docs/event-bus.md}). The module asks the
 * auth module who a bearer token is through {@code org.gatehouse.common.auth.Authenticator}; it serves no
 * request/reply address of its own.
 */
public final class RendezvousAddresses {
  /**
   * Fact, published cluster-wide after every write or delete of a session has been stored: wakes the long-polls
   * waiting on that session on every node. Body {@link SessionChanged}. Consumed by the rendezvous module on every
   * node; losing one only delays a long-poll until its timeout, when the current state is read anyway.
   */
  public static final String SESSION_CHANGED = "gatehouse.rendezvous.session.changed";

  private RendezvousAddresses() {
  }
}
