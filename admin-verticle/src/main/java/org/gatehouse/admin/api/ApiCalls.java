package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import org.gatehouse.common.auth.Requester;

/** What an admin API handler reads from its request once the gate admitted it and the contract validated it. */
final class ApiCalls {
  /** Routing-context key of the administrator the gate admitted. */
  static final String CALLER = "gatehouse.admin.caller";

  private ApiCalls() {
  }

  static Requester caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  static String query(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getQuery().get(name);
    return value == null || value.isNull() ? null : value.getString();
  }

  static int queryInt(RoutingContext ctx, String name, int fallback) {
    RequestParameter value = validated(ctx).getQuery().get(name);
    return value == null || value.isNull() ? fallback : value.getInteger();
  }

  /** The validated body, or {@code {}} for an optional body that was not sent. */
  static JsonObject body(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject();
  }

  /** The JSON answer with status {@code status}. */
  static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  /** Once {@code outcome} completes: the JSON answer with status {@code status}, or the request failed with its failure. */
  static void answer(RoutingContext ctx, int status, Future<JsonObject> outcome) {
    outcome.onSuccess(body -> answer(ctx, status, body)).onFailure(ctx::fail);
  }
}
