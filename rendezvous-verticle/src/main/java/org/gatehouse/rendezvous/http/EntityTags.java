package org.gatehouse.rendezvous.http;

import java.util.ArrayList;
import java.util.List;
import org.gatehouse.rendezvous.domain.Precondition;

/**
 * MSC4108's ETags: the session token, quoted, as a strong entity tag ({@code "<token>"}). Because the token is
 * renewed on every write, the tag changes even when the same payload is written twice.
 */
final class EntityTags {
  private EntityTags() {
  }

  static String of(String token) {
    return '"' + token + '"';
  }

  /** {@code If-Match}: strong comparison, so weak tags ({@code W/"..."}) never match. */
  static Precondition ifMatch(String header) {
    return parse(header, false);
  }

  /** {@code If-None-Match}: weak comparison (RFC 9110), so {@code W/"x"} matches our {@code "x"}. */
  static Precondition ifNoneMatch(String header) {
    return parse(header, true);
  }

  private static Precondition parse(String header, boolean weakAllowed) {
    String value = header.trim();
    if (value.equals("*")) {
      return Precondition.ANY;
    }
    List<String> tokens = new ArrayList<>();
    for (String part : value.split(",")) {
      String tag = part.trim();
      if (tag.startsWith("W/")) {
        if (!weakAllowed) {
          continue;
        }
        tag = tag.substring(2);
      }
      if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
        tag = tag.substring(1, tag.length() - 1);
      }
      // An unquoted tag is compared as it is: some proxies strip the quotes, and no token contains any.
      if (!tag.isEmpty()) {
        tokens.add(tag);
      }
    }
    return new Precondition(tokens, false);
  }
}
