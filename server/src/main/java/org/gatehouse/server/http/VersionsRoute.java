package org.gatehouse.server.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientAnswer;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientRequest;
import org.gatehouse.common.http.MatrixError;

/**
 * {@code GET /_matrix/client/versions}: the spec versions and the {@code unstable_features} of the modules this node
 * runs. Standalone the answer never changes while the node runs, so it is encoded once. In front of a homeserver
 * (the proxy sends this path to Gatehouse) it is the homeserver's answer for this client, its versions and its
 * features, with the modules' features merged in ({@link #merge}); the homeserver's refusal (a bad token) is passed
 * on as it is, and no answer from it is a {@code 503} with a retry delay.
 */
public final class VersionsRoute {
  public static final String PATH = "/_matrix/client/versions";

  private VersionsRoute() {
  }

  public static void mount(Router router, List<String> versions, Map<String, Boolean> unstableFeatures,
                           Homeserver homeserver) {
    String standalone = new JsonObject()
        .put("versions", new JsonArray(List.copyOf(versions)))
        .put("unstable_features", new JsonObject(new TreeMap<String, Object>(unstableFeatures)))
        .encode();
    if (!homeserver.connected()) {
      router.get(PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(standalone));
      return;
    }
    Map<String, Boolean> own = Map.copyOf(unstableFeatures);
    router.get(PATH).handler(ctx -> homeserver.clientVersions(ClientRequest.of(ctx))
        .onSuccess(answer -> answer(ctx, answer, own, standalone))
        .onFailure(ctx::fail));
  }

  private static void answer(RoutingContext ctx, Optional<ClientAnswer> homeservers, Map<String, Boolean> own,
                             String standalone) {
    HttpServerResponse response = ctx.response().putHeader("Content-Type", "application/json");
    if (homeservers.isEmpty()) {
      response.end(standalone);
      return;
    }
    ClientAnswer answer = homeservers.get();
    if (!answer.ok()) {
      ctx.fail(MatrixError.fromJson(answer.status(), answer.body()));
      return;
    }
    // The answer depends on the token (the homeserver computes some features per user).
    response.putHeader("Vary", "Authorization");
    if (answer.cacheControl() != null) {
      response.putHeader("Cache-Control", answer.cacheControl());
    }
    response.end(merge(answer.body(), own).encode());
  }

  /**
   * The homeserver's answer with Gatehouse's features merged into its {@code unstable_features}: a feature Gatehouse
   * serves ({@code true}) is {@code true} whatever the homeserver says; one Gatehouse has turned off keeps the
   * homeserver's value, or is {@code false} when the homeserver does not name it. Everything else (the
   * {@code versions}, any other field) is the homeserver's.
   */
  public static JsonObject merge(JsonObject homeserver, Map<String, Boolean> own) {
    Map<String, Object> features = new TreeMap<>();
    if (homeserver.getValue("unstable_features") instanceof JsonObject theirs) {
      features.putAll(theirs.getMap());
    }
    own.forEach((feature, served) -> {
      if (served || !features.containsKey(feature)) {
        features.put(feature, served);
      }
    });
    return homeserver.copy().put("unstable_features", new JsonObject(features));
  }
}
