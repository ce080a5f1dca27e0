package org.gatehouse.admin.domain;

import java.time.Instant;

/**
 * An administrator's request to turn a restriction on or off.
 *
 * @param reason the reason given, or null
 */
public record ModerationChange(String userId, Restriction restriction, boolean on, String actor, String reason,
                               Instant at) {
}
