package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.gatehouse.server.http.HealthRoutes;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceEndpointsTest {
  TestNodes nodes;
  Vertx vertx;
  WebClient client;

  @BeforeAll
  void start() {
    nodes = TestNodes.start(1);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() {
    nodes.close();
    vertx.close().await();
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
  void metricsInPrometheusFormatCoverHttpEventBusAndPool() throws Exception {
    Vertx node = nodes.node(0).vertx();
    node.eventBus().<String>consumer("test.metrics", m -> m.reply("pong")).completion().await(10, TimeUnit.SECONDS);
    node.eventBus().request("test.metrics", "ping").await(10, TimeUnit.SECONDS);
    get("/_matrix/client/versions");
    HttpResponse<Buffer> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    String text = response.bodyAsString();
    assertThat(text).contains("# TYPE vertx_http_server_requests_total counter");
    assertThat(text).contains("vertx_http_server_requests_total{", "route=\"/_matrix/client/versions\"");
    assertThat(text).contains("vertx_eventbus_handlers{address=\"test.metrics\"");
    assertThat(text).contains("vertx_pool_in_use{pool_name=\"gatehouse\"");
  }
}
