package org.gatehouse.admin.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param id increases with every entry; 0 for an entry not yet written
 * @param target the user acted on, or null for an action on the deployment
 * @param reason the reason the administrator gave, or null
 * @param details action-specific facts (the status version, the session ended, ...)
 */
public record AuditEntry(long id, Instant at, String actor, String target, AuditAction action, String reason,
                         JsonObject details) {
  public static AuditEntry of(Instant at, String actor, String target, AuditAction action, String reason,
                              JsonObject details) {
    return new AuditEntry(0, at, actor, target, action, reason, details);
  }

  /** The admin API's view: {@code {"id", "ts", "actor", "target", "action", "reason"?, "details"}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", Long.toString(id)).put("ts", at.toEpochMilli()).put("actor", actor)
        .put("target", target).put("action", action.wireName());
    if (reason != null) {
      json.put("reason", reason);
    }
    return json.put("details", details.copy());
  }
}
