package org.gatehouse.common.auth;

import io.vertx.core.json.JsonObject;

/** An open OAuth session as the auth module describes it to other modules. */
public record SessionInfo(String sessionId, String clientId, String clientName, String deviceId, String scope,
                          long createdTs) {
  public JsonObject toJson() {
    return new JsonObject().put("session_id", sessionId).put("client_id", clientId).put("client_name", clientName)
        .put("device_id", deviceId).put("scope", scope).put("created_ts", createdTs);
  }

  public static SessionInfo fromJson(JsonObject json) {
    return new SessionInfo(json.getString("session_id"), json.getString("client_id"), json.getString("client_name"),
        json.getString("device_id"), json.getString("scope"), json.getLong("created_ts", 0L));
  }
}
