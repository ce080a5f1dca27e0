package org.gatehouse.auth.web;

/** Where a page may send the browser next: only paths on this server (no open redirects). */
final class LocalPaths {
  private LocalPaths() {
  }

  static String safe(String next, String fallback) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return fallback;
    }
    return next;
  }
}
