package org.gatehouse.server;

/** Start-up failed for a reason the operator can act on; the message is printed as one line. */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
