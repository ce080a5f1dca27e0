package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gatehouse.server.http.HealthRoutes;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
class ServiceEndpointsTest {
  TestNodes nodes;
  /** The tests' own Vert.x (for their clients), from the extension, which closes it after the class. */
  Vertx vertx;
  WebClient client;

  @BeforeAll
  void start(Vertx vertx) {
    nodes = TestNodes.start(1);
    this.vertx = vertx;
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() {
    nodes.close();
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return client.getAbs(nodes.url(0) + path).send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void versionsListsSpecVersionsAndUnstableFeatures() throws Exception {
    HttpResponse<Buffer> response = get("/_matrix/client/versions");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getJsonArray("versions").getList()).contains("v1.1", "v1.15");
    assertThat(body.getJsonObject("unstable_features")).isNotNull();
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
  }

  @Test
  void liveAndReady() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("database")).isEqualTo("up");
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("cluster")).isEqualTo("up");
  }

  @Test
  void notReadyWhenTheDatabaseDoesNotAnswer() throws Exception {
    Pool dead = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1")
        .setPort(TestNodes.freePorts(1).get(0)).setUser("x").setPassword("x").setDatabase("x")).using(vertx).build();
    Router router = Router.router(vertx);
    HazelcastClusterManager manager = (HazelcastClusterManager)
        ((io.vertx.core.internal.VertxInternal) nodes.node(0).vertx()).clusterManager();
    new HealthRoutes(dead, manager, () -> true).mount(router);
    var server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> response = client.get(server.actualPort(), "127.0.0.1", "/health/ready").send()
        .await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("not ready");
    assertThat(response.bodyAsJsonObject().getJsonObject("checks").getString("database")).startsWith("down");
    server.close().await();
  }

  @Test
  void readinessAsksTheDatabaseAtMostOnceASecond() throws Exception {
    AtomicInteger queries = new AtomicInteger();
    Pool real = nodes.node(0).pool();
    Pool counting = (Pool) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[] {Pool.class},
        (proxy, method, args) -> {
          if (method.getName().equals("query")) {
            queries.incrementAndGet();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Router router = Router.router(vertx);
    HazelcastClusterManager manager = (HazelcastClusterManager)
        ((io.vertx.core.internal.VertxInternal) nodes.node(0).vertx()).clusterManager();
    new HealthRoutes(counting, manager, () -> true).mount(router);
    var server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    try {
      long start = System.nanoTime();
      List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        answers.add(client.get(server.actualPort(), "127.0.0.1", "/health/ready").send());
      }
      Future.all(answers).await(10, TimeUnit.SECONDS);
      assertThat(answers).allSatisfy(a -> assertThat(a.result().statusCode()).isEqualTo(200));
      if (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(HealthRoutes.DATABASE_CHECK_MAX_AGE_MS)) {
        assertThat(queries.get()).as("database queries for 50 readiness checks within a second").isEqualTo(1);
      }
      Thread.sleep(HealthRoutes.DATABASE_CHECK_MAX_AGE_MS + 100);
      int before = queries.get();
      assertThat(client.get(server.actualPort(), "127.0.0.1", "/health/ready").send().await(10, TimeUnit.SECONDS)
          .statusCode()).isEqualTo(200);
      assertThat(queries.get()).as("a check older than a second is made again").isEqualTo(before + 1);
    } finally {
      server.close().await();
    }
  }

  @Test
  void metricsInPrometheusFormatCoverHttpEventBusAndPool() throws Exception {
    Vertx node = nodes.node(0).vertx();
    node.eventBus().<String>consumer("test.metrics", m -> m.reply("pong")).completion().await(10, TimeUnit.SECONDS);
    node.eventBus().request("test.metrics", "ping").await(10, TimeUnit.SECONDS);
    get("/_matrix/client/versions");
    // Not on the public listener: on the metrics listener (metrics.host, metrics.port).
    assertThat(get("/metrics").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> response = client.getAbs(nodes.metricsUrl(0)).send().await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    String text = response.bodyAsString();
    assertThat(text).contains("# TYPE vertx_http_server_requests_total counter");
    assertThat(text).contains("vertx_http_server_requests_total{", "route=\"/_matrix/client/versions\"");
    assertThat(text).contains("vertx_eventbus_handlers{address=\"test.metrics\"");
    assertThat(text).contains("vertx_pool_in_use{pool_name=\"gatehouse\"");
  }
}
