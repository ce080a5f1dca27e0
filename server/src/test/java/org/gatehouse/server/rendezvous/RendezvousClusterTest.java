package org.gatehouse.server.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.gatehouse.server.rendezvous.RendezvousClient.Seen;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three full nodes sharing one session store: any node serves any session at once, long-polls wake across nodes,
 * limits are counted cluster-wide, and neither a rolling restart nor a crashed node loses a session, a token or an
 * ETag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RendezvousClusterTest {
  static final int MAX_SESSIONS = 60;

  TestNodes nodes;
  RendezvousClient client;

  @BeforeAll
  void start() {
    nodes = TestNodes.start(3, Map.of(
        "http", Map.of("trusted_proxies", List.of("127.0.0.1")),
        "rendezvous", Map.of("session_lifetime", "10m", "max_sessions", MAX_SESSIONS,
            "rate_limits", Map.of("create", Map.of("per_second", "0.01", "burst", 3)))));
    client = new RendezvousClient();
  }

  @AfterAll
  void stop() {
    client.close();
    nodes.close();
  }

  String node(int index) {
    return nodes.url(index);
  }

  @Test
  @Order(1)
  void aWriteThroughOneNodeIsReadThroughAnotherAtOnce() throws Exception {
    for (boolean msc4108 : new boolean[] {false, true}) {
      Seen created = client.create(node(0), msc4108, "offer");
      assertThat(client.read(node(2), created)).isEqualTo(created);
      Seen written = client.write(node(1), created, "answer");
      // No waiting: the read right after the acknowledged write, on a third node, sees it.
      assertThat(client.read(node(2), written)).isEqualTo(written);
      Seen again = client.write(node(2), written, "answer");
      assertThat(again.token()).isNotEqualTo(written.token());
      assertThat(client.read(node(0), again)).isEqualTo(again);
      assertThat(client.delete(node(1), again).statusCode()).isIn(200, 204);
      assertThat(client.await(client.request(HttpMethod.GET, node(0) + again.path()).send()).statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  @Order(1)
  void everyNodeKeepsPollingAndSeesEachWriteTheMomentItIsAnswered() throws Exception {
    // Each node holds the sessions it has just served in its read cache; a write anywhere must reach every cache
    // before it is answered, round after round, for both versions.
    for (boolean msc4108 : new boolean[] {false, true}) {
      Seen current = client.create(node(0), msc4108, "round 0");
      for (int round = 1; round <= 15; round++) {
        for (int i = 0; i < 3; i++) {
          assertThat(client.read(node(i), current)).isEqualTo(current);
        }
        current = client.write(node(round % 3), current, "round " + round);
        for (int i = 0; i < 3; i++) {
          assertThat(client.read(node(i), current)).as("round %d on node %d", round, i).isEqualTo(current);
        }
      }
      assertThat(client.delete(node(1), current).statusCode()).isIn(200, 204);
      for (int i = 0; i < 3; i++) {
        assertThat(client.await(client.request(HttpMethod.GET, node(i) + current.path()).send()).statusCode())
            .isEqualTo(404);
      }
    }
  }

  @Test
  @Order(2)
  void aLongPollOnOneNodeIsWokenByAWriteOnAnother() throws Exception {
    for (boolean msc4108 : new boolean[] {false, true}) {
      Seen created = client.create(node(0), msc4108, "offer");
      long started = System.nanoTime();
      Future<HttpResponse<Buffer>> poll = client.longPoll(node(1), created, 20);
      Thread.sleep(300);
      assertThat(poll.isComplete()).isFalse();
      Seen written = client.write(node(2), created, "answer");
      HttpResponse<Buffer> answered = client.await(poll);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(client.parseRead(created, answered)).isEqualTo(written);
      client.delete(node(0), written);
    }
  }

  @Test
  @Order(3)
  void capacityAndRateLimitsAreCountedAcrossTheCluster() throws Exception {
    List<Seen> sessions = new ArrayList<>();
    for (int i = 0; i < MAX_SESSIONS; i++) {
      sessions.add(client.create(node(i % 3), i % 2 == 0, "filler"));
    }
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> refused = client.await(client.request(HttpMethod.POST, node(i) + RendezvousClient.MSC4388)
          .sendJsonObject(new JsonObject().put("data", "one too many")));
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.bodyAsJsonObject().getString("errcode")).isEqualTo("M_LIMIT_EXCEEDED");
      assertThat(refused.getHeader("Retry-After")).isNotNull();
    }
    // Nothing was evicted to make room.
    for (int i = 0; i < sessions.size(); i++) {
      assertThat(client.read(node((i + 1) % 3), sessions.get(i))).isEqualTo(sessions.get(i));
    }
    for (Seen session : sessions) {
      client.delete(node(2), session);
    }

    // One client address gets its burst of three creations across all nodes together, not per node.
    String address = RendezvousClient.newAddress();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(client.await(client.request(HttpMethod.POST, node(i % 3) + RendezvousClient.MSC4388, address)
          .sendJsonObject(new JsonObject().put("data", "x"))).statusCode());
    }
    assertThat(statuses).containsExactly(200, 200, 200, 429);
  }

  @Test
  @Order(4)
  void aRollingRestartOfEveryNodeLosesNothing() throws Exception {
    List<Seen> sessions = createSessions(0, 20);
    for (int restarted = 0; restarted < 3; restarted++) {
      nodes.restart(restarted);
      awaitSafeCluster(List.of(0, 1, 2));
      // Every session, read through each node in turn, is exactly as last written; then written again.
      for (int i = 0; i < sessions.size(); i++) {
        Seen seen = sessions.get(i);
        assertThat(client.read(node((i + restarted) % 3), seen)).isEqualTo(seen);
        sessions.set(i, client.write(node((i + restarted + 1) % 3), seen, "after restart of node " + restarted));
      }
    }
    for (int i = 0; i < sessions.size(); i++) {
      assertThat(client.read(node(i % 3), sessions.get(i))).isEqualTo(sessions.get(i));
    }
  }

  @Test
  @Order(5)
  void aCrashedNodeLosesNoSessionNorAnyTokenOrETag() throws Exception {
    List<Seen> sessions = createSessions(0, 20);
    nodes.node(0).crash();
    awaitSafeCluster(List.of(1, 2));
    for (int i = 0; i < sessions.size(); i++) {
      Seen seen = sessions.get(i);
      String reader = node(1 + i % 2);
      String writer = node(2 - i % 2);
      assertThat(client.read(reader, seen)).as("session %d after the crash", i).isEqualTo(seen);
      Seen written = client.write(writer, seen, "written after the crash");
      assertThat(client.read(reader, written)).isEqualTo(written);
    }
  }

  /** Sessions of both versions created through {@code node}, each written once (so a previous token exists). */
  private List<Seen> createSessions(int node, int count) throws Exception {
    List<Seen> sessions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Seen created = client.create(node(node), i % 2 == 1, "offer " + i);
      sessions.add(client.write(node(node), created, "answer " + i));
    }
    return sessions;
  }

  /** Waits until the given nodes see exactly them as members and no partition is being migrated or unbacked. */
  private void awaitSafeCluster(List<Integer> live) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (int index : live) {
        HazelcastInstance hazelcast = nodes.node(index).hazelcast();
        if (hazelcast.getCluster().getMembers().size() != live.size()
            || !hazelcast.getPartitionService().isClusterSafe()) {
          return false;
        }
      }
      return true;
    });
  }
}
