package org.gatehouse.common.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code gatehouse.access} logger, written when the response ends.
 *
 * <p>The line never carries credentials: no header is logged except the user agent, and the value of any query
 * parameter whose name suggests a secret (tokens, codes, passwords, keys) is replaced by {@code [redacted]}.
 */
public final class AccessLog implements Handler<RoutingContext> {
  /** Set by authenticating handlers so the line says who made the request. */
  public static final String REQUESTER = "gatehouse.requester";

  private static final Logger ACCESS = LoggerFactory.getLogger("gatehouse.access");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(token|code|secret|password|passwd|pass|key|session|assertion|credential|auth).*");

  @Override
  public void handle(RoutingContext ctx) {
    if (ACCESS.isInfoEnabled()) {
      long started = System.nanoTime();
      ctx.addEndHandler(done -> ACCESS.info(line(ctx, (System.nanoTime() - started) / 1_000_000.0)));
    }
    ctx.next();
  }

  static String line(RoutingContext ctx, double millis) {
    HttpServerRequest request = ctx.request();
    StringBuilder b = new StringBuilder(160);
    b.append("request_id=").append((String) ctx.get(HttpEdge.REQUEST_ID));
    b.append(" client=").append((String) ctx.get(HttpEdge.CLIENT_ADDRESS));
    b.append(" method=").append(request.method().name());
    b.append(" path=").append(quoteIfNeeded(safeTarget(request.path(), request.query())));
    b.append(" status=").append(ctx.response().getStatusCode());
    b.append(" bytes=").append(ctx.response().bytesWritten());
    b.append(" duration_ms=").append(String.format(java.util.Locale.ROOT, "%.1f", millis));
    Object requester = ctx.get(REQUESTER);
    if (requester != null) {
      b.append(" user=").append(quoteIfNeeded(requester.toString()));
    }
    String agent = request.getHeader("User-Agent");
    if (agent != null) {
      b.append(" agent=").append(quote(agent.length() > 200 ? agent.substring(0, 200) : agent));
    }
    return b.toString();
  }

  /** The request target with the values of secret-looking query parameters redacted. */
  static String safeTarget(String path, String query) {
    if (query == null || query.isEmpty()) {
      return path;
    }
    StringBuilder b = new StringBuilder(path).append('?');
    String[] pairs = query.split("&");
    for (int i = 0; i < pairs.length; i++) {
      if (i > 0) {
        b.append('&');
      }
      int eq = pairs[i].indexOf('=');
      String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
      if (eq >= 0 && SECRET_NAME.matcher(name).matches()) {
        b.append(name).append("=[redacted]");
      } else {
        b.append(pairs[i]);
      }
    }
    return b.toString();
  }

  private static String quoteIfNeeded(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '"' || c == '\\' || c > '~') {
        return quote(s);
      }
    }
    return s;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < ' ' || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
