package org.gatehouse.auth.oauth;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.http.MatrixError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place OAuth errors become responses: the failure handler of every OAuth endpoint, and the edge's renderer
 * under {@code /oauth2/} (an unknown path, a wrong method). Whatever failed there — an {@link OAuthError}, a body over
 * the limit, a Matrix error from a shared helper, a bug — comes out as an RFC 6749 error body, never as a Matrix
 * {@code errcode}.
 */
public final class OAuthErrorRenderer {
  private static final Logger LOG = LoggerFactory.getLogger(OAuthErrorRenderer.class);

  private OAuthErrorRenderer() {
  }

  public static void handleFailure(RoutingContext ctx) {
    render(ctx, toOAuthError(ctx));
  }

  public static void render(RoutingContext ctx, OAuthError error) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache");
    if (error.basicChallenge()) {
      response.putHeader("WWW-Authenticate", "Basic realm=\"gatehouse\"");
    }
    if (error.retryAfterSeconds() > 0) {
      response.putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
    }
    response.end(error.toJson().encode());
  }

  static OAuthError toOAuthError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof OAuthError error) {
      return error;
    }
    if (failure instanceof MatrixError matrix) {
      return switch (matrix.status()) {
        case 413 -> OAuthError.invalidRequest("Request body is too large");
        case 429 -> OAuthError.rateLimited((matrix.extra().getLong("retry_after_ms", 1000L) + 999) / 1000);
        case 503 -> OAuthError.temporarilyUnavailable(matrix.error());
        case 500 -> OAuthError.serverError();
        default -> OAuthError.invalidRequest(matrix.error());
      };
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    if (status == 413) {
      return OAuthError.invalidRequest("Request body is too large");
    }
    // RFC 6749 has no code for these; the status says what happened, the body keeps the RFC 6749 shape.
    if (status == 404) {
      return new OAuthError(404, "invalid_request", "Unrecognized request: no such endpoint");
    }
    if (status == 405) {
      return new OAuthError(405, "invalid_request", "Method not allowed on this endpoint");
    }
    if (status >= 400 && status < 500) {
      return OAuthError.invalidRequest("Bad request");
    }
    LOG.error("request_id={} unexpected failure on {} {}", ctx.get(HttpEdge.REQUEST_ID), ctx.request().method(),
        ctx.normalizedPath(), failure);
    return OAuthError.serverError();
  }
}
