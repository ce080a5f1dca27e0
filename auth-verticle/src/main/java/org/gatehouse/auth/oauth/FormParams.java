package org.gatehouse.auth.oauth;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The parameters of an OAuth request body ({@code application/x-www-form-urlencoded}) or query. */
public final class FormParams {
  private final MultiMap params;

  private FormParams(MultiMap params) {
    this.params = params;
  }

  /** The form body; anything but a form is {@code invalid_request}. */
  public static FormParams body(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw OAuthError.invalidRequest("the request body must be application/x-www-form-urlencoded");
    }
    return new FormParams(ctx.request().formAttributes());
  }

  /** Parameters that came in another shape (the Matrix API's JSON bodies), for the same grant code. */
  public static FormParams of(java.util.Map<String, String> values) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    values.forEach((name, value) -> {
      if (value != null) {
        params.add(name, value);
      }
    });
    return new FormParams(params);
  }

  public static FormParams query(RoutingContext ctx) {
    return new FormParams(ctx.queryParams());
  }

  /** The parameter, or null; a parameter given twice is {@code invalid_request} (RFC 6749 §3.1). */
  public String optional(String name) {
    List<String> values = params.getAll(name);
    if (values.size() > 1) {
      throw OAuthError.invalidRequest("parameter " + name + " is repeated");
    }
    if (values.isEmpty() || values.get(0).isEmpty()) {
      return null;
    }
    return values.get(0);
  }

  public String required(String name) {
    String value = optional(name);
    if (value == null) {
      throw OAuthError.invalidRequest("parameter " + name + " is required");
    }
    return value;
  }
}
