package org.gatehouse.server.qrlogin;

/**
 * The secure channel refused a message or a step: it did not decrypt or authenticate, was not what the step
 * expects, or the check code did not match. The MSC's answer is always the same: abort the sign-in.
 */
final class SecureChannelException extends RuntimeException {
  SecureChannelException(String message) {
    super(message);
  }

  SecureChannelException(String message, Throwable cause) {
    super(message, cause);
  }
}
