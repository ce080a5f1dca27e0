package org.gatehouse.auth.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A Matrix device of a user, as {@code GET /devices} describes it. */
public record Device(String deviceId, String displayName, Instant createdAt, String createdBy, Instant lastSeenAt,
                     String lastSeenIp) {
  public JsonObject toMatrixJson() {
    JsonObject json = new JsonObject().put("device_id", deviceId);
    json.put("display_name", displayName);
    json.put("last_seen_ip", lastSeenIp);
    json.put("last_seen_ts", lastSeenAt == null ? null : lastSeenAt.toEpochMilli());
    return json;
  }
}
