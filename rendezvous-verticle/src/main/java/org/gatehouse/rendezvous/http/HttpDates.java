package org.gatehouse.rendezvous.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP dates ({@code IMF-fixdate}, RFC 9110): {@code Sun, 06 Nov 1994 08:49:37 GMT}. Not the JDK's
 * {@code DateTimeFormatter.RFC_1123_DATE_TIME}: it writes the day of the month without zero padding
 * ({@code Sun, 6 Nov 1994}), which RFC 1123 allows and IMF-fixdate does not.
 */
final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private HttpDates() {
  }

  static String format(long epochMs) {
    return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMs));
  }
}
