package org.gatehouse.homeserver.sync;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.homeserver.outbox.Outbox;
import org.gatehouse.homeserver.outbox.OutboxEntry;
import org.gatehouse.homeserver.synapse.SynapseAnswer;
import org.gatehouse.homeserver.synapse.SynapseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the homeserver in step with Gatehouse, account by account in localpart order: {@code provision_user}
 * with the lock state, the suspension of a suspended account (lifting one is left to the change that lifts it, so
 * a run costs no extra call per account), then {@code sync_devices} with every live device, which also deletes the homeserver's
 * devices Gatehouse no longer has. Appservice users are left alone: their devices may be managed at the homeserver
 * only, and {@code sync_devices} would delete them. The cursor is saved after each page, so a run cut short by an
 * outage resumes where it stopped.
 */
public final class Reconciliation {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciliation.class);
  private static final int PAGE = 100;
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(30_000);

  private final EventBus bus;
  private final SynapseClient synapse;
  private final Outbox outbox;
  private final HomeserverUsers users;

  public Reconciliation(EventBus bus, SynapseClient synapse, Outbox outbox, HomeserverUsers users) {
    this.bus = bus;
    this.synapse = synapse;
    this.outbox = outbox;
    this.users = users;
  }

  public Future<SynapseAnswer> run(OutboxEntry entry) {
    return statuses().compose(statuses -> page(entry, entry.body().getString("from"), statuses, 0))
        .recover(failure -> Future.succeededFuture(new SynapseAnswer.Unavailable(
            "reconciliation: a Gatehouse module did not answer: " + failure.getMessage())));
  }

  private Future<SynapseAnswer> page(OutboxEntry entry, String from, Map<String, AccountStatus> statuses, int done) {
    JsonObject query = new JsonObject().put("limit", PAGE).put("deactivated", false);
    if (from != null) {
      query.put("from", from);
    }
    return bus.<JsonObject>request(AuthAddresses.ACCOUNT_LIST, query, ASK).compose(reply -> {
      List<AccountInfo> accounts = reply.body().getJsonArray("accounts").stream()
          .map(a -> AccountInfo.fromJson((JsonObject) a)).toList();
      String next = reply.body().getString("next_from");
      Future<SynapseAnswer> chain = Future.succeededFuture(new SynapseAnswer.Done(200));
      for (AccountInfo account : accounts) {
        chain = chain.compose(answer -> answer instanceof SynapseAnswer.Unavailable ? Future.succeededFuture(answer)
            : account(account, statuses));
      }
      return chain.compose(answer -> {
        if (answer instanceof SynapseAnswer.Unavailable) {
          return Future.succeededFuture(answer);
        }
        int total = done + accounts.size();
        if (next == null) {
          LOG.info("homeserver reconciled: {} account(s) provisioned and their devices synchronised", total);
          return Future.succeededFuture(answer);
        }
        return outbox.saveProgress(entry.id(), entry.body().copy().put("from", next))
            .compose(saved -> page(entry, next, statuses, total));
      });
    });
  }

  private Future<SynapseAnswer> account(AccountInfo account, Map<String, AccountStatus> statuses) {
    String localpart = users.localpartOf(account.userId());
    if (localpart == null || account.appserviceId() != null) {
      return Future.succeededFuture(new SynapseAnswer.Done(200));
    }
    AccountStatus status = statuses.getOrDefault(account.userId(), new AccountStatus(account.userId(), false, false, 0));
    return synapse.provisionUser(localpart, null, status.locked())
        .compose(provisioned -> provisioned instanceof SynapseAnswer.Done && status.suspended()
            ? synapse.suspend(account.userId(), true) : Future.succeededFuture(provisioned))
        .compose(provisioned -> {
          if (!(provisioned instanceof SynapseAnswer.Done)) {
            return Future.succeededFuture(provisioned);
          }
          return devices(account.userId()).compose(before -> synapse.syncDevices(localpart, before)
              // A device created between the read and the sync would have been deleted: put it back.
              .compose(synced -> !(synced instanceof SynapseAnswer.Done) ? Future.succeededFuture(synced)
                  : devices(account.userId()).compose(after -> restore(localpart, before, after, synced))));
        })
        .map(answer -> {
          if (answer instanceof SynapseAnswer.Refused refused) {
            // One account the homeserver will not take (say, a name an appservice claims) must not stop the rest.
            LOG.warn("reconciliation skipped {}: the homeserver refused it: {} {} {}", account.userId(),
                refused.status(), refused.errcode(), refused.error());
            return new SynapseAnswer.Done(200);
          }
          return answer;
        });
  }

  private Future<SynapseAnswer> restore(String localpart, List<String> before, List<String> after,
                                        SynapseAnswer synced) {
    Future<SynapseAnswer> chain = Future.succeededFuture(synced);
    for (String device : after) {
      if (!before.contains(device)) {
        chain = chain.compose(previous -> synapse.upsertDevice(localpart, device, null));
      }
    }
    return chain;
  }

  private Future<List<String>> devices(String userId) {
    return bus.<JsonObject>request(AuthAddresses.DEVICES_LIST, new JsonObject().put("user_id", userId), ASK)
        .map(reply -> reply.body().getJsonArray("devices").stream()
            .map(d -> ((JsonObject) d).getString("device_id")).filter(Objects::nonNull).toList());
  }

  /** The accounts that are suspended or locked (the snapshot lists no other). */
  private Future<Map<String, AccountStatus>> statuses() {
    return bus.<JsonObject>request(AdminAddresses.ACCOUNT_STATUS_SNAPSHOT, new JsonObject(), ASK).map(reply -> {
      Map<String, AccountStatus> statuses = new HashMap<>();
      JsonArray accounts = reply.body().getJsonArray("accounts", new JsonArray());
      accounts.forEach(a -> {
        AccountStatus status = AccountStatus.fromJson((JsonObject) a);
        statuses.put(status.userId(), status);
      });
      return statuses;
    });
  }
}
