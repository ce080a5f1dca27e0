package org.gatehouse.common.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who made a request, as the auth module resolved it.
 *
 * @param userId the full Matrix user ID acting (the asserted user for an appservice)
 * @param deviceId the device acting, or null (an appservice acting without a device)
 * @param scopes the scopes of the token (an appservice has none)
 * @param admin whether the requester has admin rights: the user's admin flag, or the scope {@code urn:synapse:admin:*}
 * @param appserviceId the appservice behind the request, or null for a user's own token
 * @param sessionId the OAuth session the token belongs to, or null for an appservice
 * @param locked the account is locked (MSC3939): only logout may go on
 * @param suspended the account is suspended (MSC3823): reading only
 */
public record Requester(String userId, String deviceId, List<String> scopes, boolean admin, String appserviceId,
                        String sessionId, boolean locked, boolean suspended) {
  public Requester {
    scopes = List.copyOf(scopes);
  }

  public boolean isAppservice() {
    return appserviceId != null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("user_id", userId)
        .put("device_id", deviceId)
        .put("scopes", new JsonArray(scopes))
        .put("admin", admin)
        .put("appservice_id", appserviceId)
        .put("session_id", sessionId)
        .put("locked", locked)
        .put("suspended", suspended);
  }

  public static Requester fromJson(JsonObject json) {
    JsonArray scopes = json.getJsonArray("scopes", new JsonArray());
    return new Requester(json.getString("user_id"), json.getString("device_id"),
        scopes.stream().map(String::valueOf).toList(), json.getBoolean("admin", false), json.getString("appservice_id"),
        json.getString("session_id"), json.getBoolean("locked", false), json.getBoolean("suspended", false));
  }
}
