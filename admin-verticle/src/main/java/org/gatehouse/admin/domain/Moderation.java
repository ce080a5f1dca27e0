package org.gatehouse.admin.domain;

import org.gatehouse.common.admin.AccountStatus;

/**
 * The moderation state of one account: its suspension and its lock, and the version of the last change.
 *
 * @param version from the database sequence; 0 for an account that was never restricted (no row)
 */
public record Moderation(String userId, RestrictionState suspension, RestrictionState lock, long version) {
  /** An account nobody ever suspended or locked. */
  public static Moderation none(String userId) {
    return new Moderation(userId, RestrictionState.NEVER_SET, RestrictionState.NEVER_SET, 0);
  }

  public RestrictionState state(Restriction restriction) {
    return restriction == Restriction.SUSPENSION ? suspension : lock;
  }

  public boolean suspended() {
    return suspension.on();
  }

  public boolean locked() {
    return lock.on();
  }

  /** Whether the database holds a record for this account. */
  public boolean recorded() {
    return version > 0;
  }

  /** The fact every node applies. */
  public AccountStatus toStatus() {
    return new AccountStatus(userId, suspended(), locked(), version);
  }
}
