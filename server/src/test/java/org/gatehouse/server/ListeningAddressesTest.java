package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.gatehouse.server.testing.ListeningSockets;
import org.gatehouse.server.testing.ListeningSockets.Listening;
import org.gatehouse.server.testing.NodeProcess;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every socket a node listens on is on the address configured for it, never the wildcard address: Hazelcast and
 * the clustered event bus on {@code cluster.host}, the public listener on {@code http.host}, the metrics listener on
 * {@code metrics.host}, the embedded PostgreSQL on 127.0.0.1. Read from {@code /proc/net/tcp} and {@code tcp6}, as {@code ss -ltnp} would.
 */
class ListeningAddressesTest {
  @TempDir
  Path workDir;

  @Test
  void aNodeListensOnItsConfiguredHostsOnly() throws Exception {
    // Three loopback addresses, so that "on cluster.host", "on http.host" and "on metrics.host" are told apart.
    Map<String, Object> extra = Map.of("cluster", Map.of("host", "127.0.0.2"), "http", Map.of("host", "127.0.0.1"),
        "metrics", Map.of("host", "127.0.0.3"));
    try (TestNodes nodes = TestNodes.start(1, extra)) {
      GatehouseNode node = nodes.node(0);
      int hazelcast = node.hazelcast().getCluster().getLocalMember().getAddress().getPort();
      Set<Listening> listening = ListeningSockets.ofThisProcess();
      assertThat(listening).as("listening sockets of this JVM").noneMatch(Listening::wildcard)
          .containsExactlyInAnyOrder(
              new Listening("127.0.0.2", hazelcast),
              new Listening("127.0.0.2", node.eventBusPort()),
              new Listening("127.0.0.1", node.httpPort()),
              new Listening("127.0.0.3", node.metricsPort()));
    }
  }

  @Test
  void gatehouseRunWithNoConfigurationListensOnLoopbackOnly() throws Exception {
    // Under /tmp: when tests run as root the embedded database runs as 'nobody', who must reach the directory.
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Integer> ports = TestNodes.freePorts(2);
    // Nothing configured but the ports (other tests may run beside this one): name and secret are generated.
    Map<String, String> env = Map.of("GATEHOUSE_HTTP__PORT", ports.get(0).toString(),
        "GATEHOUSE_CLUSTER__PORT", ports.get(1).toString());
    try (NodeProcess node = NodeProcess.start(workDir, env, "run")) {
      node.awaitOutput("Gatehouse is ready", Duration.ofSeconds(120));
      List<String> postmaster = Files.readAllLines(workDir.resolve("data/postgres/postmaster.pid"));
      long postgresPid = Long.parseLong(postmaster.get(0).trim());
      int postgresPort = Integer.parseInt(postmaster.get(3).trim());

      Set<Listening> jvm = ListeningSockets.of(node.pid());
      Set<Listening> postgres = ListeningSockets.of(postgresPid);
      Set<Listening> all = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
      all.addAll(jvm);
      all.addAll(postgres);
      assertThat(all).as("listening sockets of the node and its PostgreSQL").isNotEmpty()
          .allMatch(l -> l.address().equals("127.0.0.1"));
      assertThat(jvm).as("the node: HTTP, metrics, Hazelcast, event bus").hasSize(4)
          .contains(new Listening("127.0.0.1", ports.get(0)), new Listening("127.0.0.1", ports.get(1)));
      assertThat(postgres).containsExactly(new Listening("127.0.0.1", postgresPort));
      Path identity = workDir.resolve("data/cluster-identity.yaml");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity))).isEqualTo("rw-------");
      node.signal("TERM");
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }
}
