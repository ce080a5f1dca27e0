package org.gatehouse.admin.domain;

import java.util.Locale;

/**
 * The {@code status} filter of the user listing. The values partition accounts except that an account both
 * suspended and locked matches both {@link #SUSPENDED} and {@link #LOCKED}:
 *
 * <ul>
 *   <li>{@link #ACTIVE}: not deactivated, neither suspended nor locked;</li>
 *   <li>{@link #SUSPENDED}: not deactivated, suspended;</li>
 *   <li>{@link #LOCKED}: not deactivated, locked;</li>
 *   <li>{@link #DEACTIVATED}: deactivated, whatever its restrictions.</li>
 * </ul>
 */
public enum StatusFilter {
  ACTIVE, SUSPENDED, LOCKED, DEACTIVATED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The filter named {@code name}; null for null (no filter). */
  public static StatusFilter fromWireName(String name) {
    return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Whether an account with these properties matches. */
  public boolean matches(boolean deactivated, Moderation moderation) {
    return switch (this) {
      case ACTIVE -> !deactivated && !moderation.suspended() && !moderation.locked();
      case SUSPENDED -> !deactivated && moderation.suspended();
      case LOCKED -> !deactivated && moderation.locked();
      case DEACTIVATED -> deactivated;
    };
  }

  /** The restriction the admin module's own records can be searched by first, or null. */
  public Restriction restriction() {
    return switch (this) {
      case SUSPENDED -> Restriction.SUSPENSION;
      case LOCKED -> Restriction.LOCK;
      default -> null;
    };
  }
}
