package org.gatehouse.server.cli;

/** The command line is wrong; the message says how, in one line. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message, null, false, false);
  }
}
