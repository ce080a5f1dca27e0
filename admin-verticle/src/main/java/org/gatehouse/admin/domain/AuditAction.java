package org.gatehouse.admin.domain;

import java.util.Locale;

/** What an administrator did; stored and shown in lower case ({@code suspend}, {@code end_session}, ...). */
public enum AuditAction {
  SUSPEND, UNSUSPEND, LOCK, UNLOCK, CREATE_USER, GRANT_ADMIN, REVOKE_ADMIN, DEACTIVATE, END_SESSION,
  RELOAD_APPSERVICES, RECONCILE_HOMESERVER, SET_DISPLAY_NAME;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action named {@code name}, or null when there is none. */
  public static AuditAction fromWireName(String name) {
    for (AuditAction action : values()) {
      if (action.wireName().equals(name)) {
        return action;
      }
    }
    return null;
  }
}
