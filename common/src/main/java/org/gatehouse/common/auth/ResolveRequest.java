package org.gatehouse.common.auth;

import io.vertx.core.json.JsonObject;

/**
 * A request to resolve a bearer token into a {@link Requester}.
 *
 * @param token the bearer token from the {@code Authorization} header (an access token or an appservice token)
 * @param userId the {@code user_id} query parameter (appservice identity assertion), or null
 * @param deviceId the {@code device_id} (or unstable {@code org.matrix.msc3202.device_id}) parameter, or null
 * @param clientAddress the client's address (for a device's "last seen"), or null
 */
public record ResolveRequest(String token, String userId, String deviceId, String clientAddress) {
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("token", token);
    if (clientAddress != null) {
      json.put("client_address", clientAddress);
    }
    if (userId != null) {
      json.put("user_id", userId);
    }
    if (deviceId != null) {
      json.put("device_id", deviceId);
    }
    return json;
  }

  public static ResolveRequest fromJson(JsonObject json) {
    return new ResolveRequest(json.getString("token"), json.getString("user_id"), json.getString("device_id"),
        json.getString("client_address"));
  }
}
