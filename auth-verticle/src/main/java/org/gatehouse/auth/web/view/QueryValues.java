package org.gatehouse.auth.web.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Values put into the query of a link or redirect on this server. */
public final class QueryValues {
  private QueryValues() {
  }

  /** {@code application/x-www-form-urlencoded}; nothing for null. */
  public static String encode(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
