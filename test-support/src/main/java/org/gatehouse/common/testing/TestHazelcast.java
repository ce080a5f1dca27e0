package org.gatehouse.common.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.UUID;

/** Real Hazelcast members on loopback for module tests, in a cluster of their own. */
public final class TestHazelcast {
  private TestHazelcast() {
  }

  /** Starts {@code count} members that form one cluster with a unique name. */
  public static List<HazelcastInstance> cluster(int count) {
    String name = "test-" + UUID.randomUUID();
    int base = 20000 + (int) (Math.random() * 20000);
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> {
      Config config = new Config().setClusterName(name);
      config.setProperty("hazelcast.phone.home.enabled", "false");
      config.setProperty("hazelcast.logging.type", "slf4j");
      config.setProperty("hazelcast.wait.seconds.before.join", "0");
      config.getNetworkConfig().setPort(base).setPortAutoIncrement(true).setPortCount(count);
      config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
      config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
      var tcp = config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true);
      for (int port = base; port < base + count; port++) {
        tcp.addMember("127.0.0.1:" + port);
      }
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
      return Hazelcast.newHazelcastInstance(config);
    }).toList();
  }
}
