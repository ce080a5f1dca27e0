package org.gatehouse.auth.requester;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentHashMap;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of which accounts are suspended or locked. The admin module owns that state; this view
 * subscribes to its acknowledged {@code account.status.changed} fact first, then loads a snapshot, so no change
 * can slip between the two, and versions keep a late snapshot from undoing a newer change.
 */
public final class AccountStatusView {
  private static final Logger LOG = LoggerFactory.getLogger(AccountStatusView.class);
  private static final int SNAPSHOT_ATTEMPTS = 20;

  private final ConcurrentHashMap<String, AccountStatus> statuses = new ConcurrentHashMap<>();

  /** The account's status; the default (neither suspended nor locked) when the admin module never set one. */
  public AccountStatus of(String userId) {
    AccountStatus status = statuses.get(userId);
    return status == null ? new AccountStatus(userId, false, false, 0) : status;
  }

  public void apply(AccountStatus status) {
    statuses.merge(status.userId(), status, (old, incoming) -> incoming.version() >= old.version() ? incoming : old);
  }

  /** Subscribes to changes, then loads the snapshot; completes when the view is complete. */
  public Future<Void> start(Vertx vertx, ClusterBroadcast broadcast) {
    return broadcast.consume(AdminAddresses.ACCOUNT_STATUS_CHANGED, body -> {
          apply(AccountStatus.fromJson(body));
          return Future.succeededFuture();
        }).completion()
        .compose(subscribed -> loadSnapshot(vertx, 1));
  }

  private Future<Void> loadSnapshot(Vertx vertx, int attempt) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);
    return vertx.eventBus().<JsonObject>request(AdminAddresses.ACCOUNT_STATUS_SNAPSHOT, new JsonObject(), options)
        .<Void>map(reply -> {
          JsonArray accounts = reply.body().getJsonArray("accounts", new JsonArray());
          accounts.forEach(a -> apply(AccountStatus.fromJson((JsonObject) a)));
          LOG.info("account status view loaded: {} suspended or locked account(s)", accounts.size());
          return null;
        })
        .recover(failure -> {
          if (attempt >= SNAPSHOT_ATTEMPTS) {
            return Future.failedFuture(new IllegalStateException("no account status snapshot from the admin module: "
                + failure.getMessage(), failure));
          }
          // The admin module may still be starting on this node.
          Promise<Void> retry = Promise.promise();
          vertx.setTimer(250, t -> loadSnapshot(vertx, attempt + 1).onComplete(retry));
          return retry.future();
        });
  }
}
