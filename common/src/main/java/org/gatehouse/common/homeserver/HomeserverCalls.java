package org.gatehouse.common.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.http.HttpEdge;

/**
 * The requests the homeserver connector serves: the changes the homeserver must know before the caller answers
 * its client (a name it must not hand out twice, an account or device a token is about to be issued for, a device
 * whose session just ended). Each is a local request/reply service on every node that runs the connector; a
 * failure comes back as a Matrix error ({@code 400} with the homeserver's errcode when it refuses a name,
 * {@code 503} with {@code retry_after_ms} when it cannot be reached in time). Changes that may follow the answer
 * are not requests: the connector follows the facts ({@code AuthFacts}, {@code AccountStatus}) and keeps them in
 * its durable outbox. The last requests are questions, not changes: a client's {@code /versions} and
 * {@code /capabilities} asked of the homeserver on the client's behalf, so Gatehouse can answer them with its own
 * features merged in.
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

  // Discovery: Gatehouse answers the client's /versions and /capabilities with the homeserver's answer merged with
  // its own, so the connector asks the homeserver's client API on the client's behalf.

  /**
   * A client's request as the homeserver must see it when the connector asks on the client's behalf: the client's
   * access token (from the {@code Authorization: Bearer} header, else the {@code access_token} query parameter;
   * null when it sent none), its address and user agent (the homeserver records them for the token's device) and
   * the request id (in both servers' logs). {@link #toString()} leaves the token out.
   */
  public record ClientRequest(String accessToken, String address, String userAgent, String requestId) {
    /** The client request {@code ctx} stands for. */
    public static ClientRequest of(RoutingContext ctx) {
      String token = Authenticator.bearerToken(ctx);
      if (token == null) {
        String query = ctx.queryParams().get("access_token");
        token = query == null || query.isBlank() ? null : query;
      }
      return new ClientRequest(token, HttpEdge.clientAddress(ctx), ctx.request().getHeader("User-Agent"),
          ctx.get(HttpEdge.REQUEST_ID));
    }

    /** Whether the client presented a token: the homeserver's answer is then for that user. */
    public boolean authenticated() {
      return accessToken != null;
    }

    public JsonObject toJson() {
      return new JsonObject().put("access_token", accessToken).put("address", address).put("user_agent", userAgent)
          .put("request_id", requestId);
    }

    public static ClientRequest fromJson(JsonObject json) {
      return new ClientRequest(json.getString("access_token"), json.getString("address"),
          json.getString("user_agent"), json.getString("request_id"));
    }

    @Override
    public String toString() {
      return "ClientRequest[accessToken=" + (accessToken == null ? "none" : "(hidden)") + ", address=" + address
          + ", requestId=" + requestId + "]";
    }
  }

  /**
   * The homeserver's {@code GET /_matrix/client/versions} for this client. Reply: a {@link ClientAnswer} (a
   * {@code 4xx} of the homeserver is an answer too). Without a token the answer is the same for everyone and the
   * connector keeps it for {@code homeserver.discovery_cache}; with one it asks every time. Fails with {@code 503}
   * and {@code retry_after_ms} when the homeserver is unreachable, too slow or answers {@code 5xx}.
   */
  public record ClientVersions(ClientRequest client) {
    public static final String ADDRESS = "gatehouse.homeserver.client.versions";

    public JsonObject toJson() {
      return client.toJson();
    }

    public static ClientVersions fromJson(JsonObject json) {
      return new ClientVersions(ClientRequest.fromJson(json));
    }
  }

  /**
   * The homeserver's {@code GET /_matrix/client/v3/capabilities} for this client (always asked: the answer is per
   * user). Reply and failures as for {@link ClientVersions}.
   */
  public record ClientCapabilities(ClientRequest client) {
    public static final String ADDRESS = "gatehouse.homeserver.client.capabilities";

    public JsonObject toJson() {
      return client.toJson();
    }

    public static ClientCapabilities fromJson(JsonObject json) {
      return new ClientCapabilities(ClientRequest.fromJson(json));
    }
  }

  /**
   * How the homeserver answered a client request: its status, its JSON body (a Matrix error unless the status is
   * {@code 2xx}) and its {@code Cache-Control} (null when it sent none).
   */
  public record ClientAnswer(int status, JsonObject body, String cacheControl) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public JsonObject toJson() {
      return new JsonObject().put("status", status).put("body", body).put("cache_control", cacheControl);
    }

    public static ClientAnswer fromJson(JsonObject json) {
      return new ClientAnswer(json.getInteger("status"), json.getJsonObject("body", new JsonObject()),
          json.getString("cache_control"));
    }
  }
}
