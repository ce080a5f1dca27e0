package org.gatehouse.auth.web.account;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times on the account pages: to the minute, in UTC, said so (the server does not know the browser's zone). */
final class AccountTimes {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  private AccountTimes() {
  }

  static String format(Instant instant) {
    return TIME.format(instant);
  }
}
