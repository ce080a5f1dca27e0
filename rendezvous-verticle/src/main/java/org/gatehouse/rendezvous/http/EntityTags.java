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

  /**
   * {@code If-Match}: strong comparison, so weak tags ({@code W/"..."}) never match; and {@code *} matches nothing
   * (412). In RFC 9110 it would match any current session: an unconditional overwrite, where MSC4108 has each
   * write carry the ETag its writer last saw so that concurrent writes are detected. matrix-js-sdk always sends
   * that ETag (it reads first if it has none). Synapse accepts {@code *} (RFC 9110); see docs/security.md.
   */
  static Precondition ifMatch(String header) {
    return parse(header, false, false);
  }

  /** {@code If-None-Match}: weak comparison (RFC 9110), so {@code W/"x"} matches our {@code "x"}. */
  static Precondition ifNoneMatch(String header) {
    return parse(header, true, true);
  }

  private static Precondition parse(String header, boolean weakAllowed, boolean anyAllowed) {
    String value = header.trim();
    if (value.equals("*")) {
      return anyAllowed ? Precondition.ANY : new Precondition(List.of(), false);
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
