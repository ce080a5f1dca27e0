package org.gatehouse.auth.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** Matrix user IDs of this server: {@code @localpart:server_name}. */
public final class UserIds {
  /** The localparts Gatehouse creates: the spec's historical grammar, lower case. */
  private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=/+-]{1,255}");

  private final String serverName;

  public UserIds(String serverName) {
    this.serverName = serverName;
  }

  public String serverName() {
    return serverName;
  }

  public String of(String localpart) {
    return "@" + localpart + ":" + serverName;
  }

  /** The localpart of {@code userId} if it is a well-formed user of this server, else null. */
  public String localpartOf(String userId) {
    if (userId == null || !userId.startsWith("@")) {
      return null;
    }
    int colon = userId.indexOf(':');
    if (colon < 2 || !userId.substring(colon + 1).equals(serverName)) {
      return null;
    }
    String localpart = userId.substring(1, colon);
    return isValidLocalpart(localpart) ? localpart : null;
  }

  public static boolean isValidLocalpart(String localpart) {
    return localpart != null && LOCALPART.matcher(localpart).matches();
  }

  /** What a user typed in a sign-in form: a localpart or a full ID of this server, normalised; null if neither. */
  public String normaliseLogin(String typed) {
    if (typed == null) {
      return null;
    }
    String t = typed.trim();
    if (t.startsWith("@")) {
      return localpartOf(t.toLowerCase(Locale.ROOT).replace(":" + serverName.toLowerCase(Locale.ROOT), ":" + serverName));
    }
    String lower = t.toLowerCase(Locale.ROOT);
    return isValidLocalpart(lower) ? lower : null;
  }
}
