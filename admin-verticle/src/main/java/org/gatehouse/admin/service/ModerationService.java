package org.gatehouse.admin.service;

import io.vertx.core.Future;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.admin.domain.ModerationChange;
import org.gatehouse.admin.store.ModerationStore;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.http.MatrixError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Suspends, unsuspends, locks and unlocks accounts. A change is durable (with its audit entry) before it is
 * broadcast, and reported as done only once every node has applied it.
 */
public final class ModerationService {
  private static final Logger LOG = LoggerFactory.getLogger(ModerationService.class);

  private final ModerationStore store;
  private final ClusterBroadcast broadcast;

  public ModerationService(ModerationStore store, ClusterBroadcast broadcast) {
    this.store = store;
    this.broadcast = broadcast;
  }

  /**
   * Applies {@code change} and confirms the resulting state on every node. A change that changes nothing is not
   * written or audited, but the current state is still confirmed: that is how a change whose confirmation failed
   * earlier (503) is brought into force by repeating the same request.
   */
  public Future<Moderation> change(ModerationChange change) {
    return store.apply(change)
        .onSuccess(applied -> {
          if (applied.changed()) {
            LOG.info("{} {} by {} (version {})", change.restriction().auditAction(change.on()).wireName(),
                change.userId(), change.actor(), applied.moderation().version());
          }
        })
        .compose(applied -> confirm(applied.moderation()));
  }

  public Future<Moderation> get(String userId) {
    return store.get(userId);
  }

  private Future<Moderation> confirm(Moderation moderation) {
    if (!moderation.recorded()) {
      // Never restricted: every node already treats the account as unrestricted.
      return Future.succeededFuture(moderation);
    }
    return broadcast.publish(AdminAddresses.ACCOUNT_STATUS_CHANGED, moderation.toStatus().toJson())
        .map(moderation)
        .recover(failure -> {
          LOG.warn("account status of {} (version {}) not confirmed by every node: {}", moderation.userId(),
              moderation.version(), failure.getMessage());
          return Future.failedFuture(MatrixError.unavailable("The change is recorded but not every Gatehouse node "
              + "confirmed it in time, so it may not be in force everywhere yet; repeat the request to confirm it"));
        });
  }
}
