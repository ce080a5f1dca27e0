package org.gatehouse.database;

/** The embedded PostgreSQL could not be prepared, started or stopped; the message says why in one line. */
public final class EmbeddedPostgresException extends RuntimeException {
  public EmbeddedPostgresException(String message) {
    super(message);
  }

  public EmbeddedPostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}
