package org.gatehouse.common.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.Map;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads request bodies of Matrix endpoints, failing with the Matrix errors for bad input. */
public final class JsonBodies {
  private JsonBodies() {
  }

  /** The body as a JSON object: 400 {@code M_NOT_JSON} when it is missing, malformed or not an object. */
  public static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw MatrixError.notJson("Request body is empty; expected a JSON object");
    }
    try {
      Object parsed = Json.decodeValue(body);
      if (parsed instanceof JsonObject object) {
        return object;
      }
      if (parsed instanceof Map<?, ?> map) {
        return new JsonObject(castKeys(map));
      }
    } catch (DecodeException e) {
      throw MatrixError.notJson("Request body is not valid JSON");
    }
    throw MatrixError.notJson("Request body is not a JSON object");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castKeys(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** Like {@link #object} but an empty body means {@code {}} (endpoints whose body is optional). */
  public static JsonObject optionalObject(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    return object(ctx);
  }

  /** A required string field: 400 {@code M_MISSING_PARAM} if absent, {@code M_BAD_JSON} if not a string. */
  public static String requiredString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw MatrixError.missingParam("Missing field: " + field);
    }
    if (!(value instanceof String s)) {
      throw MatrixError.badJson("Field " + field + " must be a string");
    }
    return s;
  }

  /** An optional string field: {@code M_BAD_JSON} if present but not a string. */
  public static String optionalString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw MatrixError.badJson("Field " + field + " must be a string");
    }
    return s;
  }

  /** An optional boolean field: {@code M_BAD_JSON} if present but not a boolean. */
  public static Boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      throw MatrixError.badJson("Field " + field + " must be true or false");
    }
    return b;
  }
}
