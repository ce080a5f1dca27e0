package org.gatehouse.common.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The requests the homeserver connector serves: the changes the homeserver must know before the caller answers
 * its client (a name it must not hand out twice, an account or device a token is about to be issued for, a device
 * whose session just ended). Each is a local request/reply service on every node that runs the connector; a
 * failure comes back as a Matrix error ({@code 400} with the homeserver's errcode when it refuses a name,
 * {@code 503} with {@code retry_after_ms} when it cannot be reached in time). Changes that may follow the answer
 * are not requests: the connector follows the facts ({@code AuthFacts}, {@code AccountStatus}) and keeps them in
 * its durable outbox.
 */
public final class HomeserverCalls {
  private HomeserverCalls() {
  }

  /** Is this localpart free at the homeserver? Reply {@code {}}; {@code 400 M_USER_IN_USE / M_INVALID_USERNAME / M_EXCLUSIVE}. */
  public record CheckLocalpart(String localpart) {
    public static final String ADDRESS = "gatehouse.homeserver.localpart.check";

    public JsonObject toJson() {
      return new JsonObject().put("localpart", localpart);
    }

    public static CheckLocalpart fromJson(JsonObject json) {
      return new CheckLocalpart(json.getString("localpart"));
    }
  }

  /** Create the account at the homeserver (or update it). Reply {@code {}}. */
  public record ProvisionUser(String localpart, String displayName) {
    public static final String ADDRESS = "gatehouse.homeserver.user.provision";

    public JsonObject toJson() {
      return new JsonObject().put("localpart", localpart).put("display_name", displayName);
    }

    public static ProvisionUser fromJson(JsonObject json) {
      return new ProvisionUser(json.getString("localpart"), json.getString("display_name"));
    }
  }

  /** Create or update a device at the homeserver, provisioning the account first if the homeserver lacks it. */
  public record UpsertDevice(String localpart, String deviceId, String displayName) {
    public static final String ADDRESS = "gatehouse.homeserver.device.upsert";

    public JsonObject toJson() {
      return new JsonObject().put("localpart", localpart).put("device_id", deviceId).put("display_name", displayName);
    }

    public static UpsertDevice fromJson(JsonObject json) {
      return new UpsertDevice(json.getString("localpart"), json.getString("device_id"), json.getString("display_name"));
    }
  }

  /**
   * Delete devices at the homeserver, so its token cache cannot keep their tokens alive. Tried at once; what the
   * homeserver does not take now is kept in the outbox and retried. Reply {@code {"deleted": n, "queued": n}};
   * fails ({@code 503}) only when it could neither delete nor queue.
   */
  public record DeleteDevices(String localpart, List<String> deviceIds) {
    public static final String ADDRESS = "gatehouse.homeserver.devices.delete";

    public JsonObject toJson() {
      return new JsonObject().put("localpart", localpart).put("device_ids", new JsonArray(deviceIds));
    }

    public static DeleteDevices fromJson(JsonObject json) {
      return new DeleteDevices(json.getString("localpart"),
          json.getJsonArray("device_ids").stream().map(String::valueOf).toList());
    }
  }

  /**
   * Let the homeserver accept one replacement of the user's cross-signing keys without further authentication
   * (MSC4312). Tried at once, else queued. Reply {@code {"queued": bool}}.
   */
  public record AllowCrossSigningReset(String localpart) {
    public static final String ADDRESS = "gatehouse.homeserver.cross_signing_reset.allow";

    public JsonObject toJson() {
      return new JsonObject().put("localpart", localpart);
    }

    public static AllowCrossSigningReset fromJson(JsonObject json) {
      return new AllowCrossSigningReset(json.getString("localpart"));
    }
  }

  /**
   * Bring the homeserver in step with Gatehouse: every account (but appservice users) provisioned with its lock
   * state and its devices synchronised. Queued once (a pending run is not queued twice); reply
   * {@code {"queued": bool}}. Also queued by every node as it starts.
   */
  public record Reconcile(String by) {
    public static final String ADDRESS = "gatehouse.homeserver.reconcile";

    public JsonObject toJson() {
      return new JsonObject().put("by", by);
    }

    public static Reconcile fromJson(JsonObject json) {
      return new Reconcile(json == null ? "unknown" : json.getString("by", "unknown"));
    }
  }
}
