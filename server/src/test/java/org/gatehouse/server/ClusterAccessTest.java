package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.util.Map;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.Test;

/** Who can reach the cluster's shared state from outside. */
class ClusterAccessTest {
  @Test
  void aHazelcastClientCannotConnectEvenWithTheClusterName() {
    try (TestNodes nodes = TestNodes.start(1, Map.of())) {
      HazelcastInstance member = nodes.node(0).hazelcast();
      ClientConfig client = new ClientConfig();
      // Everything a client needs on an open cluster: the exact name Hazelcast compares, and the member's address.
      client.setClusterName(member.getConfig().getClusterName());
      client.getNetworkConfig().addAddress("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
      client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5000);
      client.setProperty("hazelcast.logging.type", "slf4j");
      assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unable to connect");
    }
  }
}
