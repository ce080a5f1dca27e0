package org.gatehouse.common.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The facts the auth module announces on the event bus, each a record with its address, declared once here so
 * that the module publishing a fact and every module following it share one shape (listed in
 * {@code docs/event-bus.md}). Published facts reach every node's consumers; a follower that must act once per
 * fact (the homeserver connector) listens with a local consumer and so hears only the facts of its own node.
 */
public final class AuthFacts {
  private AuthFacts() {
  }

  /**
   * Acknowledged fact: sessions ended (logout, revocation, replay, device deleted, account deactivated). Every node
   * forgets those tokens before the action that ended the sessions answers.
   */
  public record SessionEnded(List<EndedSession> sessions) {
    public static final String ADDRESS = "gatehouse.auth.session.ended";

    public JsonObject toJson() {
      JsonArray list = new JsonArray();
      sessions.forEach(s -> list.add(s.toJson()));
      return new JsonObject().put("sessions", list);
    }

    public static SessionEnded fromJson(JsonObject json) {
      return new SessionEnded(json.getJsonArray("sessions").stream()
          .map(s -> EndedSession.fromJson((JsonObject) s)).toList());
    }
  }

  /** One ended session: its device and the SHA-256 (hex) of its access tokens. */
  public record EndedSession(String sessionId, String userId, String deviceId, List<String> tokenHashes) {
    public JsonObject toJson() {
      return new JsonObject().put("session_id", sessionId).put("user_id", userId).put("device_id", deviceId)
          .put("token_hashes", new JsonArray(tokenHashes));
    }

    public static EndedSession fromJson(JsonObject json) {
      return new EndedSession(json.getString("session_id"), json.getString("user_id"), json.getString("device_id"),
          strings(json.getJsonArray("token_hashes")));
    }
  }

  /**
   * Acknowledged fact: access tokens revoked while their session goes on (the access token a refresh replaced).
   * Every node forgets them before the refresh answers.
   */
  public record AccessTokensRevoked(List<String> tokenHashes) {
    public static final String ADDRESS = "gatehouse.auth.access_tokens.revoked";

    public JsonObject toJson() {
      return new JsonObject().put("token_hashes", new JsonArray(tokenHashes));
    }

    public static AccessTokensRevoked fromJson(JsonObject json) {
      return new AccessTokensRevoked(strings(json.getJsonArray("token_hashes")));
    }
  }

  /**
   * Acknowledged fact: something cached token resolutions carry changed for an account (deactivated, admin flag).
   * Every node forgets the account's cached tokens.
   */
  public record AccountChanged(String userId, String reason) {
    public static final String ADDRESS = "gatehouse.auth.account.changed";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("reason", reason);
    }

    public static AccountChanged fromJson(JsonObject json) {
      return new AccountChanged(json.getString("user_id"), json.getString("reason"));
    }
  }

  /** Published: an account was created (sign-up page, admin API, command line, appservice registration). */
  public record AccountCreated(String userId, String appserviceId) {
    public static final String ADDRESS = "gatehouse.auth.account.created";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("appservice_id", appserviceId);
    }

    public static AccountCreated fromJson(JsonObject json) {
      return new AccountCreated(json.getString("user_id"), json.getString("appservice_id"));
    }
  }

  /** Published: an account was deactivated, after its sessions ended and its devices were deleted everywhere. */
  public record AccountDeactivated(String userId, String by) {
    public static final String ADDRESS = "gatehouse.auth.account.deactivated";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("by", by);
    }

    public static AccountDeactivated fromJson(JsonObject json) {
      return new AccountDeactivated(json.getString("user_id"), json.getString("by"));
    }
  }

  /** Published: an account's display name was set ({@code displayName}) or removed (null) by an administrator. */
  public record DisplayNameChanged(String userId, String displayName) {
    public static final String ADDRESS = "gatehouse.auth.account.display_name.changed";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("display_name", displayName);
    }

    public static DisplayNameChanged fromJson(JsonObject json) {
      return new DisplayNameChanged(json.getString("user_id"), json.getString("display_name"));
    }
  }

  /** Published: a device was created; {@code by} is the OAuth client or appservice that created it. */
  public record DeviceCreated(String userId, String deviceId, String displayName, String by) {
    public static final String ADDRESS = "gatehouse.auth.device.created";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("device_id", deviceId).put("display_name", displayName)
          .put("by", by);
    }

    public static DeviceCreated fromJson(JsonObject json) {
      return new DeviceCreated(json.getString("user_id"), json.getString("device_id"), json.getString("display_name"),
          json.getString("by"));
    }
  }

  /** Published: a device's display name changed. */
  public record DeviceRenamed(String userId, String deviceId, String displayName) {
    public static final String ADDRESS = "gatehouse.auth.device.renamed";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("device_id", deviceId).put("display_name", displayName);
    }

    public static DeviceRenamed fromJson(JsonObject json) {
      return new DeviceRenamed(json.getString("user_id"), json.getString("device_id"), json.getString("display_name"));
    }
  }

  /** Published: a device was deleted, after its sessions ended everywhere. */
  public record DeviceDeleted(String userId, String deviceId, String by) {
    public static final String ADDRESS = "gatehouse.auth.device.deleted";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("device_id", deviceId).put("by", by);
    }

    public static DeviceDeleted fromJson(JsonObject json) {
      return new DeviceDeleted(json.getString("user_id"), json.getString("device_id"), json.getString("by"));
    }
  }

  /** Published: a user approved a cross-signing reset on the account page (MSC4312). */
  public record CrossSigningResetApproved(String userId, long expiresTs, long expiresInMs) {
    public static final String ADDRESS = "gatehouse.auth.cross_signing_reset.approved";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId).put("expires_ts", expiresTs).put("expires_in_ms", expiresInMs);
    }

    public static CrossSigningResetApproved fromJson(JsonObject json) {
      return new CrossSigningResetApproved(json.getString("user_id"), json.getLong("expires_ts"),
          json.getLong("expires_in_ms"));
    }
  }

  /** Published: the homeserver used a cross-signing reset approval. */
  public record CrossSigningResetConsumed(String userId) {
    public static final String ADDRESS = "gatehouse.auth.cross_signing_reset.consumed";

    public JsonObject toJson() {
      return new JsonObject().put("user_id", userId);
    }

    public static CrossSigningResetConsumed fromJson(JsonObject json) {
      return new CrossSigningResetConsumed(json.getString("user_id"));
    }
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }
}
