package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.server.cli.Modules;
import org.gatehouse.server.cluster.ClusterSecret;
import org.gatehouse.server.config.GatehouseConfig;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who can reach the cluster's shared state from outside: not a Hazelcast client, not a member without the cluster
 * secret, and not a host that writes event-bus frames to a member's event-bus port without the secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterAccessTest {
  private static final String ADDRESS = "test.cluster-access";

  TestNodes nodes;
  Vertx stranger;
  final List<String> delivered = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    nodes = TestNodes.start(1);
    nodes.node(0).vertx().eventBus().<String>consumer(ADDRESS, m -> delivered.add(m.body())).completion()
        .await(10, TimeUnit.SECONDS);
    stranger = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    stranger.close().await();
    nodes.close();
  }

  @Test
  void aHazelcastClientKnowingOnlyTheConfiguredClusterNameCannotConnect() {
    HazelcastInstance member = nodes.node(0).hazelcast();
    ClientConfig client = new ClientConfig();
    // What a stranger can know: the operator's cluster.name and a member's address. Hazelcast compares the name
    // with the secret's HMAC in it, which only a holder of the secret (or a reader of the cluster network) has.
    client.setClusterName(nodes.clusterName());
    client.getNetworkConfig().addAddress("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
    client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5000);
    client.setProperty("hazelcast.logging.type", "slf4j");
    assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unable to connect");
  }

  @Test
  void aMemberWithAnotherSecretDoesNotJoin() throws Exception {
    int mine = nodes.node(0).hazelcast().getCluster().getLocalMember().getAddress().getPort();
    int port = TestNodes.freePorts(1).get(0);
    Map<String, Object> config = Map.of(
        "server_name", "test.local",
        "http", Map.of("host", "127.0.0.1", "port", 0, "instances", 1),
        "database", Map.of("url", nodes.databaseUrl(), "pool_size", 2),
        "cluster", Map.of("name", nodes.clusterName(), "secret", "another-secret-than-the-cluster-has-0123",
            "host", "127.0.0.1", "port", port, "members", List.of("127.0.0.1:" + mine, "127.0.0.1:" + port)));
    GatehouseNode intruder = GatehouseNode.start(GatehouseConfig.read(ConfigNode.of(config), Modules.all()),
        Clock.systemUTC()).await(120, TimeUnit.SECONDS);
    try {
      // It had the cluster's name and a member's address; without the secret it is a cluster of its own.
      assertThat(intruder.hazelcast().getCluster().getMembers()).hasSize(1);
      assertThat(nodes.node(0).hazelcast().getCluster().getMembers()).hasSize(1);
      assertThat(intruder.members().nodeIds()).doesNotContain(nodes.node(0).nodeId());
    } finally {
      intruder.stop().await(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyAHostWithTheSecretCanSendOnTheEventBus() throws Exception {
    int port = nodes.node(0).eventBusPort();
    // The same frame every time: a plain TCP connection, TLS with a key of another secret, and TLS with the
    // cluster's key (the control, which shows the frame is one the member accepts).
    sendFrame(new NetClientOptions(), port, "over plain TCP");
    sendFrame(clientOptions("another-secret-than-the-cluster-has-0123"), port, "with another secret");
    sendFrame(clientOptions(TestNodes.CLUSTER_SECRET), port, "with the cluster secret");
    // Under a loaded machine the TLS handshake and the first frame may take seconds: wait for the control.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !delivered.isEmpty());
    assertThat(delivered).as("messages the member delivered").containsExactly("with the cluster secret");
  }

  private NetClientOptions clientOptions(String secret) {
    EventBusOptions options = new ClusterSecret(nodes.clusterName(), secret).secure(new EventBusOptions());
    return new NetClientOptions(options.toJson()).setHostnameVerificationAlgorithm("").setConnectTimeout(5000);
  }

  private void sendFrame(NetClientOptions options, int port, String body) throws Exception {
    NetSocket socket;
    try {
      socket = stranger.createNetClient(options).connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception refused) {
      return;
    }
    try {
      socket.write(frame(ADDRESS, body)).await(5, TimeUnit.SECONDS);
    } catch (Exception closed) {
      return;
    }
    // Time for the member to deliver it, if it does.
    Thread.sleep(1000);
    socket.close();
  }

  /** An event-bus message as Vert.x 5 writes it between members (ClusteredMessage.encodeToWire), a String body. */
  private static Buffer frame(String address, String body) {
    Buffer frame = Buffer.buffer().appendInt(0)
        .appendByte((byte) 2)   // wire protocol version
        .appendByte((byte) 9)   // system codec: String
        .appendByte((byte) 0);  // point to point
    string(frame, address);
    frame.appendInt(0);         // no reply address
    string(frame, "stranger");  // sender node
    frame.appendInt(4);         // no headers
    string(frame, body);
    return frame.setInt(0, frame.length() - 4);
  }

  private static void string(Buffer buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }
}
