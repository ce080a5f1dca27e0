package org.gatehouse.admin.domain;

import java.time.Instant;

/**
 * One restriction of one account as it stands.
 *
 * @param on whether the restriction is in force
 * @param changedAt when it last changed, or null if it never did (an account nobody restricted)
 * @param changedBy the administrator who last changed it, or null if it never changed
 * @param reason the reason given with the last change, or null
 */
public record RestrictionState(boolean on, Instant changedAt, String changedBy, String reason) {
  public static final RestrictionState NEVER_SET = new RestrictionState(false, null, null, null);
}
