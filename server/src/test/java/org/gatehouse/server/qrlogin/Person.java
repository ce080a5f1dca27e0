package org.gatehouse.server.qrlogin;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The person holding both devices: points one device's camera at the other's QR code, reads the check code off
 * the scanning device and types it into the generating one, and knows the account's password for the approval
 * page. The only path between the devices that does not cross the server.
 */
final class Person {
  private static final long PATIENCE_SECONDS = 90;

  private final String username;
  private final String password;
  private final CompletableFuture<byte[]> shownQrCode = new CompletableFuture<>();
  private final CompletableFuture<String> shownCheckCode = new CompletableFuture<>();

  Person(String username, String password) {
    this.username = username;
    this.password = password;
  }

  String username() {
    return username;
  }

  String password() {
    return password;
  }

  /** A device displays its QR code. */
  void seesQrCode(byte[] code) {
    shownQrCode.complete(code.clone());
  }

  /** The other device's camera, pointed at it. */
  byte[] scanQrCode() {
    return wait(shownQrCode).clone();
  }

  /** The scanning device shows the check code. */
  void seesCheckCode(String code) {
    shownCheckCode.complete(code);
  }

  /** What the person types into the generating device when it asks for the code. */
  String typeCheckCode() {
    return wait(shownCheckCode);
  }

  /** A device gave up: nobody waits for what it will never show. */
  void gaveUp(Throwable why) {
    shownQrCode.completeExceptionally(why);
    shownCheckCode.completeExceptionally(why);
  }

  private static <T> T wait(CompletableFuture<T> shown) {
    try {
      return shown.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("nothing to see on the other device", e);
    }
  }
}
