package org.gatehouse.common.auth;

/**
 * The event-bus addresses the auth module serves or publishes. Other modules only ever reach auth's data
 * through these; the message shapes are the records of this package and {@code docs/event-bus.md}.
 */
public final class AuthAddresses {
  /**
   * Request/reply, a local consumer on every node: "who is this bearer token?". Body {@link ResolveRequest};
   * reply {@link Requester}; refusals are Matrix errors ({@code 401 M_UNKNOWN_TOKEN}, {@code 400 M_UNKNOWN_DEVICE},
   * {@code 403 M_EXCLUSIVE}, ...). Callers use {@link Authenticator} rather than this address directly.
   */
  public static final String RESOLVE_REQUESTER = "gatehouse.auth.requester.resolve";

  private AuthAddresses() {
  }
}
