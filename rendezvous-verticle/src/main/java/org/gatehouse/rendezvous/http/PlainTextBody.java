package org.gatehouse.rendezvous.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.gatehouse.common.http.MatrixError;

/**
 * The body of an MSC4108 POST or PUT: {@code text/plain}, sent with an explicit {@code Content-Length}, UTF-8, at
 * most the configured number of characters. The payload is stored and served back byte for byte.
 */
final class PlainTextBody {
  private PlainTextBody() {
  }

  static String read(RoutingContext ctx, int maxChars) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null) {
      throw MatrixError.missingParam("Content-Type: text/plain is required");
    }
    if (!isPlainText(contentType)) {
      throw MatrixError.invalidParam("Content-Type must be text/plain");
    }
    if (ctx.request().getHeader("Content-Length") == null) {
      throw MatrixError.missingParam("Content-Length is required");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return "";
    }
    if (body.length() > 4L * maxChars) {
      throw MatrixError.tooLarge("The payload is longer than " + maxChars + " characters");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw MatrixError.invalidParam("The body must be UTF-8 text");
    }
    return Payloads.checkLength(text, maxChars);
  }

  /** {@code text/plain}, optionally with {@code charset=utf-8}; any other parameter or charset is refused. */
  static boolean isPlainText(String contentType) {
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("text/plain")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!param.isEmpty() && !param.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }
}
