package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;

/** Three nodes on loopback: one event bus, facts reach every node, and losing a node stops nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(VertxExtension.class)
class ClusterTest {
  TestNodes nodes;
  /** The tests' own Vert.x (for their clients), from the extension, which closes it after the class. */
  Vertx clientVertx;
  WebClient client;

  @BeforeAll
  void start(Vertx vertx) {
    nodes = TestNodes.start(3);
    clientVertx = vertx;
    client = WebClient.create(clientVertx);
  }

  @AfterAll
  void stop() {
    nodes.close();
  }

  private JsonObject ready(int node) throws Exception {
    var response = client.getAbs(nodes.url(node) + "/health/ready").send().await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  @Order(1)
  void publishOnOneNodeIsReceivedByAllAndBroadcastIsAcknowledgedByAll() throws Exception {
    assertThat(ready(0).getJsonObject("checks").getInteger("cluster_members")).isEqualTo(3);

    List<String> received = new CopyOnWriteArrayList<>();
    List<Future<?>> registered = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int index = i;
      registered.add(nodes.node(i).vertx().eventBus().<String>consumer("test.fact", m -> received.add(index + ":" + m.body()))
          .completion());
    }
    Future.all(registered).await(10, TimeUnit.SECONDS);
    nodes.node(0).vertx().eventBus().publish("test.fact", "hello");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
    assertThat(received).containsExactlyInAnyOrder("0:hello", "1:hello", "2:hello");

    List<String> applied = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      int index = i;
      broadcast(i).consume("test.acked", body -> {
        Promise<Void> slow = Promise.promise();
        // Applying takes a moment; publish must wait for it.
        nodes.node(index).vertx().setTimer(100, t -> {
          applied.add(index + ":" + body.getString("v"));
          slow.complete();
        });
        return slow.future();
      }).completion().await(10, TimeUnit.SECONDS);
    }
    broadcast(1).publish("test.acked", new JsonObject().put("v", "x")).await(10, TimeUnit.SECONDS);
    assertThat(applied).containsExactlyInAnyOrder("0:x", "1:x", "2:x");
  }

  @Test
  @Order(2)
  void crashedNodeLeavesTheOthersServing() throws Exception {
    nodes.node(0).crash();

    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> ready(1).getJsonObject("checks").getInteger("cluster_members") == 2);
    assertThat(ready(2).getString("status")).isEqualTo("ready");

    List<String> received = new CopyOnWriteArrayList<>();
    nodes.node(2).vertx().eventBus().<String>consumer("test.after", m -> received.add(m.body())).completion()
        .await(10, TimeUnit.SECONDS);
    nodes.node(1).vertx().eventBus().publish("test.after", "still here");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("still here"));

    List<String> applied = new CopyOnWriteArrayList<>();
    for (int i = 1; i < 3; i++) {
      int index = i;
      broadcast(i).consume("test.acked.after", body -> {
        applied.add(String.valueOf(index));
        return Future.succeededFuture();
      }).completion().await(10, TimeUnit.SECONDS);
    }
    broadcast(2).publish("test.acked.after", new JsonObject()).await(10, TimeUnit.SECONDS);
    assertThat(applied).containsExactlyInAnyOrder("1", "2");
  }

  private ClusterBroadcast broadcast(int node) {
    return new ClusterBroadcast(nodes.node(node).vertx(), nodes.node(node).members(), Duration.ofSeconds(5));
  }
}
