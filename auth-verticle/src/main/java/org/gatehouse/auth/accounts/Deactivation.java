package org.gatehouse.auth.accounts;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.bus.ClusterBroadcast;

/**
 * Deactivating an account, from the admin API or the user's own account page: it can no longer sign in, its
 * sessions end and its devices are deleted, on every node (and at the homeserver) before this completes. The
 * homeserver's own account is deactivated afterwards, from the connector's outbox ({@code account.deactivated}).
 */
public final class Deactivation {
  private final UserStore users;
  private final SessionTerminator terminator;
  private final ClusterBroadcast broadcast;
  private final UserIds userIds;
  private final EventBus bus;

  public Deactivation(UserStore users, SessionTerminator terminator, ClusterBroadcast broadcast, UserIds userIds,
                      EventBus bus) {
    this.users = users;
    this.terminator = terminator;
    this.broadcast = broadcast;
    this.userIds = userIds;
    this.bus = bus;
  }

  /**
   * Deactivates {@code user}; fails with {@link UserStore.LastAdminException}, changing nothing, when it is the last
   * active administrator.
   */
  public Future<Void> deactivate(User user, String by) {
    return users.deactivate(user.localpart())
        .compose(changed -> terminator.endAllOf(user.id(), user.localpart(), "account deactivated", by))
        .compose(done -> announce(user, "deactivated"))
        .onSuccess(done -> bus.publish(AuthFacts.AccountDeactivated.ADDRESS,
            new AuthFacts.AccountDeactivated(userIds.of(user.localpart()), by).toJson()));
  }

  /** Every node forgets the account's cached tokens (deactivation, admin flag). */
  public Future<Void> announce(User user, String reason) {
    return broadcast.publish(AuthFacts.AccountChanged.ADDRESS,
        new AuthFacts.AccountChanged(userIds.of(user.localpart()), reason).toJson());
  }
}
