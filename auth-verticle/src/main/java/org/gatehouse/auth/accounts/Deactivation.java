package org.gatehouse.auth.accounts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.facts.AuthFacts;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.bus.ClusterBroadcast;

/**
 * Deactivating an account, from the admin API or the user's own account page: it can no longer sign in, its
 * sessions end and its devices are deleted, on every node before this completes.
 */
public final class Deactivation {
  private final UserStore users;
  private final SessionTerminator terminator;
  private final ClusterBroadcast broadcast;
  private final UserIds userIds;

  public Deactivation(UserStore users, SessionTerminator terminator, ClusterBroadcast broadcast, UserIds userIds) {
    this.users = users;
    this.terminator = terminator;
    this.broadcast = broadcast;
    this.userIds = userIds;
  }

  public Future<Void> deactivate(User user, String by) {
    return users.deactivate(user.localpart())
        .compose(changed -> terminator.endAllOf(user.id(), user.localpart(), "account deactivated", by))
        .compose(done -> announce(user, "deactivated"));
  }

  /** Every node forgets the account's cached tokens (deactivation, admin flag). */
  public Future<Void> announce(User user, String reason) {
    return broadcast.publish(AuthFacts.ACCOUNT_CHANGED, new JsonObject().put("user_id", userIds.of(user.localpart()))
        .put("reason", reason));
  }
}
