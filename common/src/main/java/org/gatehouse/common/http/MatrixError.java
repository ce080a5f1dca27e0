package org.gatehouse.common.http;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The one Matrix error type: an HTTP status, an {@code errcode}, a human-readable {@code error} and optional
 * extra fields (e.g. {@code retry_after_ms}, {@code soft_logout}). Thrown or used to fail a future; rendered
 * only by {@link ErrorRenderer}. It carries no stack trace: it is an answer, not a bug.
 */
public final class MatrixError extends RuntimeException {
  private final int status;
  private final String errcode;
  private final JsonObject extra;

  public MatrixError(int status, String errcode, String error) {
    this(status, errcode, error, new JsonObject());
  }

  public MatrixError(int status, String errcode, String error, JsonObject extra) {
    super(error, null, false, false);
    this.status = status;
    this.errcode = errcode;
    this.extra = extra;
  }

  public int status() {
    return status;
  }

  public String errcode() {
    return errcode;
  }

  public String error() {
    return getMessage();
  }

  /** A copy of the extra fields. */
  public JsonObject extra() {
    return extra.copy();
  }

  /** The same error with one more body field. */
  public MatrixError with(String field, Object value) {
    return new MatrixError(status, errcode, error(), extra.copy().put(field, value));
  }

  /** The body: {@code {"errcode", "error", ...extra}}. */
  public JsonObject toJson() {
    return extra.copy().put("errcode", errcode).put("error", error());
  }

  /** Rebuilds an error from its body, e.g. after it crossed the event bus. */
  public static MatrixError fromJson(int status, JsonObject body) {
    JsonObject extra = body.copy();
    String errcode = (String) extra.remove("errcode");
    String error = (String) extra.remove("error");
    return new MatrixError(status, errcode == null ? "M_UNKNOWN" : errcode, error == null ? "" : error, extra);
  }

  @Override
  public String toString() {
    return "MatrixError{" + status + " " + errcode + ": " + error() + "}";
  }

  // The errors of the Matrix client-server API used across modules.

  public static MatrixError unrecognized(String error) {
    return new MatrixError(404, "M_UNRECOGNIZED", error);
  }

  public static MatrixError methodNotAllowed() {
    return new MatrixError(405, "M_UNRECOGNIZED", "Method not allowed on this endpoint");
  }

  public static MatrixError notFound(String error) {
    return new MatrixError(404, "M_NOT_FOUND", error);
  }

  public static MatrixError forbidden(String error) {
    return new MatrixError(403, "M_FORBIDDEN", error);
  }

  public static MatrixError notJson(String error) {
    return new MatrixError(400, "M_NOT_JSON", error);
  }

  public static MatrixError badJson(String error) {
    return new MatrixError(400, "M_BAD_JSON", error);
  }

  public static MatrixError missingParam(String error) {
    return new MatrixError(400, "M_MISSING_PARAM", error);
  }

  public static MatrixError invalidParam(String error) {
    return new MatrixError(400, "M_INVALID_PARAM", error);
  }

  public static MatrixError tooLarge(String error) {
    return new MatrixError(413, "M_TOO_LARGE", error);
  }

  public static MatrixError missingToken() {
    return new MatrixError(401, "M_MISSING_TOKEN", "Missing access token");
  }

  public static MatrixError unknownToken(String error, boolean softLogout) {
    return new MatrixError(401, "M_UNKNOWN_TOKEN", error, new JsonObject().put("soft_logout", softLogout));
  }

  public static MatrixError userLocked() {
    return new MatrixError(401, "M_USER_LOCKED", "This account has been locked", new JsonObject().put("soft_logout", true));
  }

  public static MatrixError userSuspended() {
    return new MatrixError(403, "M_USER_SUSPENDED", "This account is suspended: it can read but not change anything");
  }

  /** 429 with {@code retry_after_ms}; the renderer adds the {@code Retry-After} header (MSC4041). */
  public static MatrixError limitExceeded(Duration retryAfter) {
    long ms = Math.max(1, retryAfter.toMillis());
    return new MatrixError(429, "M_LIMIT_EXCEEDED", "Too many requests", new JsonObject().put("retry_after_ms", ms));
  }

  public static MatrixError unavailable(String error) {
    return new MatrixError(503, "M_UNKNOWN", error);
  }

  /** 503 with {@code retry_after_ms}, which the renderer also sends as {@code Retry-After}. */
  public static MatrixError unavailable(String error, Duration retryAfter) {
    return new MatrixError(503, "M_UNKNOWN", error, new JsonObject().put("retry_after_ms",
        Math.max(1, retryAfter.toMillis())));
  }

  /** The delay a client should wait before retrying, when this error says one ({@code retry_after_ms}). */
  public java.util.Optional<Duration> retryAfter() {
    Long ms = extra().getLong("retry_after_ms");
    return ms == null ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofMillis(ms));
  }

  public static MatrixError internal() {
    return new MatrixError(500, "M_UNKNOWN", "Internal server error");
  }
}
