package org.gatehouse.server.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.gatehouse.common.testing.TestPostgres;
import org.gatehouse.server.rendezvous.RendezvousClient.Seen;
import org.gatehouse.server.testing.NodeProcess;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash of {@link RendezvousClusterTest} without any cooperation from the victim: a node in its own JVM
 * joins two in-JVM nodes, every session is created through it, and it is killed with SIGKILL. The two survivors
 * serve every session, with the same data, sequence tokens and ETags, and accept writes with them.
 */
class RendezvousKill9Test {
  /** The killed node's working directory (it uses the test PostgreSQL, so nothing of note is written here). */
  @TempDir
  Path workDir;

  @Test
  void sessionsCreatedThroughANodeKilledWithSigkillAreAllServedByTheOthers() throws Exception {
    Map<String, Object> extra = Map.of("http", Map.of("trusted_proxies", List.of("127.0.0.1")),
        "rendezvous", Map.of("session_lifetime", "10m"));
    try (TestNodes nodes = TestNodes.start(2, extra); RendezvousClient client = new RendezvousClient()) {
      HazelcastInstance first = nodes.node(0).hazelcast();
      List<Integer> ports = TestNodes.freePorts(2);
      String victimUrl = "http://127.0.0.1:" + ports.get(0);
      PgConnectOptions db = TestPostgres.newDatabase();
      List<String> members = List.of(member(first), member(nodes.node(1).hazelcast()));
      Map<String, String> env = Map.of(
          "GATEHOUSE_HTTP__PORT", ports.get(0).toString(),
          "GATEHOUSE_PUBLIC_BASE_URL", victimUrl + "/",
          "GATEHOUSE_HTTP__TRUSTED_PROXIES", "127.0.0.1",
          "GATEHOUSE_HTTP__INSTANCES", "1",
          "GATEHOUSE_DATABASE__URL", "postgresql://" + db.getUser() + ":" + db.getPassword() + "@" + db.getHost()
              + ":" + db.getPort() + "/" + db.getDatabase(),
          "GATEHOUSE_CLUSTER__NAME", nodes.clusterName(),
          "GATEHOUSE_CLUSTER__SECRET", nodes.clusterSecret(),
          "GATEHOUSE_CLUSTER__PORT", ports.get(1).toString(),
          "GATEHOUSE_CLUSTER__MEMBERS", String.join(",", members),
          "GATEHOUSE_RENDEZVOUS__SESSION_LIFETIME", "10m");
      try (NodeProcess victim = NodeProcess.start(workDir, env, "run")) {
        victim.awaitOutput("Gatehouse is ready", Duration.ofSeconds(120));
        awaitSafeCluster(nodes, 3);

        List<Seen> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          Seen created = client.create(victimUrl, i % 2 == 1, "offer " + i);
          sessions.add(client.write(victimUrl, created, "answer " + i));
        }

        victim.kill();
        awaitSafeCluster(nodes, 2);
        for (int i = 0; i < sessions.size(); i++) {
          Seen seen = sessions.get(i);
          String reader = nodes.url(i % 2);
          String writer = nodes.url(1 - i % 2);
          assertThat(client.read(reader, seen)).as("session %d after kill -9", i).isEqualTo(seen);
          Seen written = client.write(writer, seen, "after kill -9");
          assertThat(client.read(reader, written)).isEqualTo(written);
        }
      }
    }
  }

  private static String member(HazelcastInstance hazelcast) {
    return "127.0.0.1:" + hazelcast.getCluster().getLocalMember().getAddress().getPort();
  }

  private static void awaitSafeCluster(TestNodes nodes, int members) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (int i = 0; i < nodes.size(); i++) {
        HazelcastInstance hazelcast = nodes.node(i).hazelcast();
        if (hazelcast.getCluster().getMembers().size() != members
            || !hazelcast.getPartitionService().isClusterSafe()) {
          return false;
        }
      }
      return true;
    });
  }
}
