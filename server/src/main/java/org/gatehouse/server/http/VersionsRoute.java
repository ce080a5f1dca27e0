package org.gatehouse.server.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /_matrix/client/versions}: the spec versions and the {@code unstable_features} of the modules
 * this node runs. The answer never changes while the node runs, so it is encoded once.
 */
public final class VersionsRoute {
  public static final String PATH = "/_matrix/client/versions";

  private VersionsRoute() {
  }

  public static void mount(Router router, List<String> versions, Map<String, Boolean> unstableFeatures) {
    String body = new JsonObject()
        .put("versions", new JsonArray(List.copyOf(versions)))
        .put("unstable_features", new JsonObject(new TreeMap<String, Object>(unstableFeatures)))
        .encode();
    router.get(PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(body));
  }
}
