package org.gatehouse.common.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place Matrix errors become HTTP responses. Installed as the last failure handler of the edge, so it
 * also turns the router's own failures (no route, wrong method, body too large) into Matrix errors. Anything
 * that is not a {@link MatrixError} is a bug: it is logged with the request id and answered with a bare 500.
 */
public final class ErrorRenderer {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorRenderer.class);

  private ErrorRenderer() {
  }

  public static void handleFailure(RoutingContext ctx) {
    render(ctx, toMatrixError(ctx));
  }

  /** Writes {@code error} as the response: status, JSON body, and {@code Retry-After} for rate limits. */
  public static void render(RoutingContext ctx, MatrixError error) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late to change the answer; cutting the connection tells the client something went wrong.
      response.reset();
      return;
    }
    response.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store");
    Long retryAfterMs = error.extra().getLong("retry_after_ms");
    if (retryAfterMs != null) {
      response.putHeader("Retry-After", Long.toString(Math.max(1, (retryAfterMs + 999) / 1000)));
    }
    response.end(error.toJson().encode());
  }

  static MatrixError toMatrixError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof MatrixError error) {
      return error;
    }
    if (failure instanceof DecodeException) {
      return MatrixError.notJson("Request body is not valid JSON");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    switch (status) {
      case 404:
        return MatrixError.unrecognized("Unrecognized request");
      case 405:
        return MatrixError.methodNotAllowed();
      case 413:
        return MatrixError.tooLarge("Request body is too large");
      case 400:
        return MatrixError.badJson("Bad request");
      default:
        break;
    }
    LOG.error("request_id={} unexpected failure on {} {}", ctx.get(HttpEdge.REQUEST_ID), ctx.request().method(),
        ctx.normalizedPath(), failure);
    return MatrixError.internal();
  }
}
