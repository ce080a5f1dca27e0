package org.gatehouse.rendezvous.http;

import org.gatehouse.common.http.MatrixError;

/** The payload size limit both versions share, counted in characters (Unicode code points) as MSC4388 says. */
final class Payloads {
  private Payloads() {
  }

  static String checkLength(String data, int maxChars) {
    // Cheap bound first: a string of at most maxChars UTF-16 units has at most maxChars code points.
    if (data.length() > maxChars && data.codePointCount(0, data.length()) > maxChars) {
      throw MatrixError.tooLarge("The payload is longer than " + maxChars + " characters");
    }
    return data;
  }
}
