package org.gatehouse.common.auth;

import io.vertx.core.json.JsonObject;

/**
 * An account as the auth module describes it to other modules.
 *
 * @param createdTs creation time, milliseconds since the epoch
 * @param deactivatedTs deactivation time, or null while active
 * @param appserviceId the appservice that registered it, or null
 * @param displayName the display name given to it, or null
 */
public record AccountInfo(String userId, boolean admin, long createdTs, Long deactivatedTs, String appserviceId,
                          String displayName) {
  /** An account with no display name. */
  public AccountInfo(String userId, boolean admin, long createdTs, Long deactivatedTs, String appserviceId) {
    this(userId, admin, createdTs, deactivatedTs, appserviceId, null);
  }

  public boolean deactivated() {
    return deactivatedTs != null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("user_id", userId).put("admin", admin).put("created_ts", createdTs)
        .put("deactivated", deactivated()).put("deactivated_ts", deactivatedTs).put("appservice_id", appserviceId)
        .put("display_name", displayName);
  }

  public static AccountInfo fromJson(JsonObject json) {
    return new AccountInfo(json.getString("user_id"), json.getBoolean("admin", false), json.getLong("created_ts", 0L),
        json.getLong("deactivated_ts"), json.getString("appservice_id"), json.getString("display_name"));
  }
}
