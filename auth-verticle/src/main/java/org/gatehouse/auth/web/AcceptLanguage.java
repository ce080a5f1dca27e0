package org.gatehouse.auth.web;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Accept-Language} ranges a page is rendered for: only the first {@link #MAX_RANGES} of the header,
 * since each one is matched against a client's localized fields on the event loop. A malformed header means no
 * preference (the default texts), never an error.
 */
public final class AcceptLanguage {
  /** Browsers send a handful; more only buys an attacker matching work. */
  public static final int MAX_RANGES = 10;

  private AcceptLanguage() {
  }

  public static List<Locale.LanguageRange> ranges(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    // Split with a limit: the rest of a long header is one string that is dropped unread.
    String[] parts = header.split(",", MAX_RANGES + 1);
    String kept = String.join(",", Arrays.asList(parts).subList(0, Math.min(parts.length, MAX_RANGES)));
    try {
      return Locale.LanguageRange.parse(kept);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }
}
