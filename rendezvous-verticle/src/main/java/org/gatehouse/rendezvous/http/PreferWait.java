package org.gatehouse.rendezvous.http;

import java.time.Duration;
import java.util.List;

/**
 * The {@code wait} preference of RFC 7240 ({@code Prefer: wait=10}, in seconds), which an MSC4108 client sends
 * next to {@code If-None-Match} to ask for a long-poll. Anything unparseable is ignored, as the RFC asks.
 */
final class PreferWait {
  private PreferWait() {
  }

  /** The requested wait, capped at {@code max}; zero when none was asked for. */
  static Duration of(List<String> preferHeaders, Duration max) {
    for (String header : preferHeaders) {
      for (String preference : header.split(",")) {
        String first = preference.split(";", 2)[0].trim();
        int eq = first.indexOf('=');
        if (eq < 0 || !first.substring(0, eq).trim().equalsIgnoreCase("wait")) {
          continue;
        }
        String value = first.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (value.matches("\\d{1,9}")) {
          Duration wanted = Duration.ofSeconds(Long.parseLong(value));
          return wanted.compareTo(max) > 0 ? max : wanted;
        }
      }
    }
    return Duration.ZERO;
  }
}
