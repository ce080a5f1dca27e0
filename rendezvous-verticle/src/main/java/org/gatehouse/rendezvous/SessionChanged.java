package org.gatehouse.rendezvous;

import io.vertx.core.json.JsonObject;

/**
 * Body of {@link RendezvousAddresses#SESSION_CHANGED}.
 *
 * @param id the session id
 * @param token the session's token after the write (sequence token / ETag value), or null when it was deleted
 * @param deleted true when the session was deleted
 */
public record SessionChanged(String id, String token, boolean deleted) {
  public static SessionChanged written(String id, String token) {
    return new SessionChanged(id, token, false);
  }

  public static SessionChanged deleted(String id) {
    return new SessionChanged(id, null, true);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("deleted", deleted);
    if (token != null) {
      json.put("token", token);
    }
    return json;
  }

  public static SessionChanged fromJson(JsonObject json) {
    return new SessionChanged(json.getString("id"), json.getString("token"), json.getBoolean("deleted", false));
  }
}
