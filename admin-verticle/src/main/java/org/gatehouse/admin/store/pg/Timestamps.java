package org.gatehouse.admin.store.pg;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** {@code timestamptz} columns as {@link Instant}s. */
final class Timestamps {
  private Timestamps() {
  }

  static OffsetDateTime toDb(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant fromDb(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
