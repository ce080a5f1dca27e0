package org.gatehouse.homeserver.outbox;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One queued call to the homeserver. */
public record OutboxEntry(long id, String operation, String localpart, JsonObject body, Instant createdAt,
                          int attempts) {
  /** The Gatehouse-level job that brings every account in step; not one call but many. */
  public static final String RECONCILE = "reconcile";
}
