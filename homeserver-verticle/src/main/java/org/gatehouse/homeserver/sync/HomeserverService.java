package org.gatehouse.homeserver.sync;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.common.homeserver.HomeserverCalls;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.homeserver.outbox.Outbox;
import org.gatehouse.homeserver.synapse.SynapseAnswer;
import org.gatehouse.homeserver.synapse.SynapseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's requests ({@link HomeserverCalls}): the homeserver is called at once and its answer decides the
 * reply. What must precede the caller's answer fails the request when the homeserver is away ({@code 503} with a
 * retry delay); what only must happen eventually (a device deletion, a reset approval) falls back to the outbox.
 */
public final class HomeserverService {
  private static final Logger LOG = LoggerFactory.getLogger(HomeserverService.class);
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final SynapseClient synapse;
  private final Outbox outbox;
  private final String serviceAccount;

  public HomeserverService(SynapseClient synapse, Outbox outbox, String serviceAccount) {
    this.synapse = synapse;
    this.outbox = outbox;
    this.serviceAccount = serviceAccount;
  }

  /** Whether the homeserver would take the name; the service account's is taken, even before it is provisioned. */
  public Future<JsonObject> checkLocalpart(HomeserverCalls.CheckLocalpart call) {
    if (serviceAccount.equals(call.localpart())) {
      return Future.failedFuture(new MatrixError(400, "M_USER_IN_USE",
          "User " + call.localpart() + " is reserved for Gatehouse's service account at the homeserver"));
    }
    return synapse.isLocalpartAvailable(call.localpart()).compose(answer -> settle(answer, "check the user name"));
  }

  public Future<JsonObject> provisionUser(HomeserverCalls.ProvisionUser call) {
    return synapse.provisionUser(call.localpart(), call.displayName(), null)
        .compose(answer -> settle(answer, "create the account"));
  }

  /** The device, and the account first if the homeserver does not have it ({@code 404}, e.g. an older account). */
  public Future<JsonObject> upsertDevice(HomeserverCalls.UpsertDevice call) {
    return synapse.upsertDevice(call.localpart(), call.deviceId(), call.displayName())
        .compose(answer -> answer instanceof SynapseAnswer.Refused refused && refused.notFound()
            ? synapse.provisionUser(call.localpart(), null, null).compose(provisioned -> provisioned instanceof
                SynapseAnswer.Done ? synapse.upsertDevice(call.localpart(), call.deviceId(), call.displayName())
                : Future.succeededFuture(provisioned))
            : Future.succeededFuture(answer))
        .compose(answer -> settle(answer, "register the device"));
  }

  /** Each device now; the ones the homeserver does not take are queued. Fails only if one can be neither. */
  public Future<JsonObject> deleteDevices(HomeserverCalls.DeleteDevices call) {
    List<Future<Boolean>> each = new ArrayList<>();
    for (String deviceId : call.deviceIds()) {
      each.add(synapse.deleteDevice(call.localpart(), deviceId).compose(answer -> {
        if (answer instanceof SynapseAnswer.Unavailable unavailable) {
          LOG.warn("device {} of {} not deleted at the homeserver now ({}); queued", deviceId, call.localpart(),
              unavailable.reason());
          return queue("delete_device", call.localpart(),
              new JsonObject().put("localpart", call.localpart()).put("device_id", deviceId)).map(false);
        }
        // Deleting is idempotent at Synapse; a refusal (an unknown user) means there is nothing to delete.
        return Future.succeededFuture(true);
      }));
    }
    return Future.all(each).map(all -> {
      long deleted = each.stream().filter(Future::result).count();
      return new JsonObject().put("deleted", deleted).put("queued", each.size() - deleted);
    });
  }

  public Future<JsonObject> allowCrossSigningReset(HomeserverCalls.AllowCrossSigningReset call) {
    return synapse.allowCrossSigningReset(call.localpart()).compose(answer -> {
      if (answer instanceof SynapseAnswer.Unavailable) {
        return queue("allow_cross_signing_reset", call.localpart(), new JsonObject().put("localpart", call.localpart()))
            .map(new JsonObject().put("queued", true));
      }
      return settle(answer, "approve the cross-signing reset").map(done -> done.put("queued", false));
    });
  }

  public Future<JsonObject> reconcile(HomeserverCalls.Reconcile call) {
    return outbox.addReconcile(new JsonObject().put("by", call.by()))
        .map(queued -> new JsonObject().put("queued", queued))
        .recover(failure -> Future.failedFuture(unavailable("queue the reconciliation")));
  }

  /** Keeps a call for the outbox; fails with 503 when even that cannot be done. */
  public Future<Void> queue(String operation, String localpart, JsonObject body) {
    return outbox.add(operation, localpart, body)
        .recover(failure -> {
          LOG.error("could not queue {} for {} in the outbox: {}", operation, localpart, failure.getMessage());
          return Future.failedFuture(unavailable("record the change for the homeserver"));
        });
  }

  private static Future<JsonObject> settle(SynapseAnswer answer, String what) {
    if (answer instanceof SynapseAnswer.Done) {
      return Future.succeededFuture(new JsonObject());
    }
    if (answer instanceof SynapseAnswer.Refused refused) {
      if (refused.status() == 400) {
        // The homeserver's own reason (M_USER_IN_USE, M_INVALID_USERNAME, M_EXCLUSIVE, M_TOO_LARGE...) is the answer.
        return Future.failedFuture(new MatrixError(400, refused.errcode(), refused.error().isEmpty()
            ? "The homeserver refused to " + what : refused.error()));
      }
      LOG.error("the homeserver refused to {}: {} {} {}", what, refused.status(), refused.errcode(), refused.error());
      return Future.failedFuture(unavailable(what));
    }
    LOG.warn("the homeserver could not {}: {}", what, ((SynapseAnswer.Unavailable) answer).reason());
    return Future.failedFuture(unavailable(what));
  }

  static MatrixError unavailable(String what) {
    return MatrixError.unavailable("The homeserver is unavailable, so Gatehouse cannot " + what + " now; try again",
        RETRY_AFTER);
  }
}
