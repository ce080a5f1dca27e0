package org.gatehouse.admin.matrix;

import io.vertx.core.json.JsonObject;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.admin.domain.RestrictionState;
import org.gatehouse.common.http.JsonBodies;
import org.gatehouse.common.http.MatrixError;

/**
 * The bodies of the MSC4323 endpoints: {@code {"suspended": bool}} or {@code {"locked": bool}}, plus the
 * namespaced fields MSC4323 allows: {@code org.gatehouse.reason} in requests and answers,
 * {@code org.gatehouse.updated_by} and {@code org.gatehouse.updated_ts} (milliseconds) in answers, describing
 * the change that brought the current state (absent for an account never restricted).
 */
public final class RestrictionBodies {
  public static final String REASON = "org.gatehouse.reason";
  public static final String UPDATED_BY = "org.gatehouse.updated_by";
  public static final String UPDATED_TS = "org.gatehouse.updated_ts";
  public static final int MAX_REASON_LENGTH = 1000;

  /**
   * A PUT request.
   *
   * @param reason the reason given, or null
   */
  public record Request(boolean on, String reason) {
  }

  private RestrictionBodies() {
  }

  /** Reads a PUT body: 400 {@code M_NOT_JSON}, {@code M_MISSING_PARAM}, {@code M_BAD_JSON} or {@code M_INVALID_PARAM}. */
  public static Request read(JsonObject body, Restriction restriction) {
    Object value = body.getValue(restriction.field());
    if (value == null) {
      throw MatrixError.missingParam("Missing field: " + restriction.field());
    }
    if (!(value instanceof Boolean on)) {
      throw MatrixError.badJson("Field " + restriction.field() + " must be true or false");
    }
    String reason = JsonBodies.optionalString(body, REASON);
    if (reason != null && reason.length() > MAX_REASON_LENGTH) {
      throw MatrixError.invalidParam(REASON + " is longer than " + MAX_REASON_LENGTH + " characters");
    }
    return new Request(on, reason == null || reason.isBlank() ? null : reason);
  }

  /** The answer of GET and PUT. */
  public static JsonObject answer(Restriction restriction, RestrictionState state) {
    JsonObject json = new JsonObject().put(restriction.field(), state.on());
    if (state.changedAt() != null) {
      json.put(UPDATED_BY, state.changedBy()).put(UPDATED_TS, state.changedAt().toEpochMilli());
    }
    if (state.reason() != null) {
      json.put(REASON, state.reason());
    }
    return json;
  }
}
