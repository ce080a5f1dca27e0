package org.gatehouse.homeserver.sync;

/** Matrix user IDs of this server and their localparts, as the homeserver's internal API names users. */
public final class HomeserverUsers {
  private final String suffix;

  public HomeserverUsers(String serverName) {
    this.suffix = ":" + serverName;
  }

  /** The localpart of {@code userId}, or null when it is not a user of this server. */
  public String localpartOf(String userId) {
    if (userId == null || !userId.startsWith("@") || !userId.endsWith(suffix) || userId.length() <= suffix.length() + 1) {
      return null;
    }
    return userId.substring(1, userId.length() - suffix.length());
  }
}
