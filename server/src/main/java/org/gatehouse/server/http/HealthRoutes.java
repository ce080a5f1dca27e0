package org.gatehouse.server.http;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} answers while the event loop turns; {@code /health/ready} says whether this node should
 * get traffic: the database answers, the node is a running cluster member, and all modules are deployed.
 */
public final class HealthRoutes {
  static final long CHECK_TIMEOUT_MS = 2000;

  private final Pool pool;
  private final HazelcastClusterManager cluster;
  private final BooleanSupplier modulesReady;

  public HealthRoutes(Pool pool, HazelcastClusterManager cluster, BooleanSupplier modulesReady) {
    this.pool = pool;
    this.cluster = cluster;
    this.modulesReady = modulesReady;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "live")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    Future<String> database = pool.query("SELECT 1").execute().map("up")
        .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(failure -> Future.succeededFuture("down: " + failure.getMessage()));
    database.onComplete(done -> {
      HazelcastInstance hz = cluster.getHazelcastInstance();
      boolean clusterUp = cluster.isActive() && hz != null && hz.getLifecycleService().isRunning();
      boolean modulesUp = modulesReady.getAsBoolean();
      boolean ready = "up".equals(database.result()) && clusterUp && modulesUp;
      JsonObject checks = new JsonObject()
          .put("database", database.result())
          .put("cluster", clusterUp ? "up" : "down")
          .put("cluster_members", clusterUp ? hz.getCluster().getMembers().size() : 0)
          .put("modules", modulesUp ? "up" : "starting");
      json(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "ready" : "not ready").put("checks", checks));
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
