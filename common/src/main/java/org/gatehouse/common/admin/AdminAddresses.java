package org.gatehouse.common.admin;

/** The event-bus addresses the admin module serves or publishes. */
public final class AdminAddresses {
  /**
   * Acknowledged fact (see {@code ClusterBroadcast}): an account was suspended, unsuspended, locked or unlocked.
   * Body {@link AccountStatus}. Every node has applied it before the admin call that caused it answers; it is then
   * also published on this plain address for anyone following.
   */
  public static final String ACCOUNT_STATUS_CHANGED = "gatehouse.admin.account.status.changed";

  /**
   * Request/reply, a local consumer on every node: the status of every account that is suspended or locked.
   * Body {@code {}}; reply {@code {"accounts": [AccountStatus...]}}. Nodes load it at start, after subscribing to
   * {@link #ACCOUNT_STATUS_CHANGED}, and keep it current from the facts.
   */
  public static final String ACCOUNT_STATUS_SNAPSHOT = "gatehouse.admin.account.status.snapshot";

  private AdminAddresses() {
  }
}
