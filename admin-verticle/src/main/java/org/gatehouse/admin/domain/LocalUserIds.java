package org.gatehouse.admin.domain;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.gatehouse.common.http.MatrixError;

/**
 * Checks that a user ID named by an administrator is a well-formed user of this server. Both failures are
 * {@code 400 M_INVALID_PARAM} (MSC4323); whether such a user exists is a separate question, asked afterwards.
 */
public final class LocalUserIds {
  /** The user ID grammar including historical localparts (printable ASCII except ':'). */
  private static final Pattern LOCALPART = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]+");
  private static final int MAX_BYTES = 255;

  private final String serverName;

  public LocalUserIds(String serverName) {
    this.serverName = serverName;
  }

  /** {@code userId} if it is a well-formed ID of a user of this server; otherwise throws 400 M_INVALID_PARAM. */
  public String requireLocal(String userId) {
    if (!isWellFormed(userId)) {
      throw MatrixError.invalidParam("Not a valid Matrix user ID");
    }
    if (!userId.substring(userId.indexOf(':') + 1).equals(serverName)) {
      throw MatrixError.invalidParam("The user is not a user of this server (" + serverName + ")");
    }
    return userId;
  }

  static boolean isWellFormed(String userId) {
    if (userId == null || !userId.startsWith("@") || userId.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return false;
    }
    int colon = userId.indexOf(':');
    return colon > 1 && colon < userId.length() - 1 && LOCALPART.matcher(userId.substring(1, colon)).matches()
        && userId.substring(colon + 1).chars().allMatch(c -> c > 0x20 && c < 0x7F);
  }
}
