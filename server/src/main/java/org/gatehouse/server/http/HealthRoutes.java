package org.gatehouse.server.http;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
 *
 * <p>Both are on the public listener (load balancers need them), so {@code /health/ready} must be cheap: the
 * database is asked at most once per {@link #DATABASE_CHECK_MAX_AGE_MS}, and every request in between gets that
 * answer (or waits for the check under way). The cluster and module checks read local state.
 */
public final class HealthRoutes {
  static final long CHECK_TIMEOUT_MS = 2000;
  /** How long one database check answers for. */
  public static final long DATABASE_CHECK_MAX_AGE_MS = 1000;

  private final Pool pool;
  private final HazelcastClusterManager cluster;
  private final BooleanSupplier modulesReady;
  /** The last database check (perhaps still under way) and when it started. */
  private volatile Check lastCheck;

  private record Check(long startedNanos, Future<String> result) {
  }

  public HealthRoutes(Pool pool, HazelcastClusterManager cluster, BooleanSupplier modulesReady) {
    this.pool = pool;
    this.cluster = cluster;
    this.modulesReady = modulesReady;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "live")));
    router.get("/health/ready").handler(this::ready);
  }

  private Future<String> database() {
    long now = System.nanoTime();
    Check last = lastCheck;
    if (last != null && now - last.startedNanos() < TimeUnit.MILLISECONDS.toNanos(DATABASE_CHECK_MAX_AGE_MS)) {
      return last.result();
    }
    // Two event loops may both start a check here at the same moment: one query more, never a wrong answer.
    Future<String> result = pool.query("SELECT 1").execute().map("up")
        .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(failure -> Future.succeededFuture("down: " + failure.getMessage()));
    lastCheck = new Check(now, result);
    return result;
  }

  private void ready(RoutingContext ctx) {
    Future<String> database = database();
    // The check may belong to another event loop's request; answer on this request's own.
    Context here = Vertx.currentContext();
    database.onComplete(done -> here.runOnContext(v -> {
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
    }));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
