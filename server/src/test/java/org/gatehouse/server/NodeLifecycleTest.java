package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.database.EmbeddedPostgres;
import org.gatehouse.database.Processes;
import org.gatehouse.server.testing.NodeProcess;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse run} as an operator uses it, in a real process on a bare working directory: embedded
 * database, ready, Ctrl-C, nothing left behind, data kept; a kill -9 recovered on the next start.
 */
class NodeLifecycleTest {
  @TempDir
  Path workDir;
  Vertx vertx;
  WebClient client;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    // Under /tmp: when tests run as root the embedded database runs as 'nobody', who must reach the directory.
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Integer> ports = TestNodes.freePorts(2);
    env = Map.of("GATEHOUSE_HTTP__PORT", ports.get(0).toString(), "GATEHOUSE_CLUSTER__PORT", ports.get(1).toString(),
        "GATEHOUSE_CLUSTER__NAME", "lifecycle-" + ports.get(1));
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + env.get("GATEHOUSE_HTTP__PORT") + path;
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(Files.readAllLines(workDir.resolve("data/postgres/postmaster.pid")).get(0).trim());
  }

  private SqlConnection database() throws Exception {
    PgConnectOptions options = EmbeddedPostgres.runningServer(workDir.resolve("data/postgres"), "postgres").orElseThrow();
    return PgConnection.connect(vertx, options).await(30, TimeUnit.SECONDS);
  }

  private NodeProcess startReady() throws Exception {
    NodeProcess node = NodeProcess.start(workDir, env, "run");
    node.awaitOutput("Gatehouse is ready", Duration.ofSeconds(120));
    var ready = client.getAbs(url("/health/ready")).send().await(10, TimeUnit.SECONDS);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("ready");
    return node;
  }

  @Test
  void runsStopsOnSigintAndKeepsItsData() throws Exception {
    try (NodeProcess node = startReady()) {
      assertThat(node.stdout()).anyMatch(l -> l.contains("health:") && l.contains(url("/health/ready")));
      SqlConnection db = database();
      db.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('across restarts')").execute().await(10, TimeUnit.SECONDS);
      db.close().await();
      long postmaster = postmasterPid();

      node.signal("INT");
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(node.stdout()).contains("Gatehouse stopped");
      assertThat(Processes.isRunning(postmaster)).isFalse();
      assertThat(Processes.isRunning(node.pid())).isFalse();
    }
    try (NodeProcess again = startReady()) {
      assertThat(String.join("\n", again.stdout())).doesNotContain("applied migration");
      SqlConnection db = database();
      String kept = db.query("SELECT v FROM kept").execute().await(10, TimeUnit.SECONDS).iterator().next().getString(0);
      db.close().await();
      assertThat(kept).isEqualTo("across restarts");
      again.signal("TERM");
      assertThat(again.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void killedNodeLeavesADatabaseTheNextStartRecovers() throws Exception {
    long orphan;
    try (NodeProcess node = startReady()) {
      orphan = postmasterPid();
      node.kill();
    }
    assertThat(Processes.isRunning(orphan))
        .as("a killed JVM cannot stop its database").isTrue();
    try (NodeProcess next = startReady()) {
      assertThat(Processes.isRunning(orphan)).isFalse();
      assertThat(postmasterPid()).isNotEqualTo(orphan);
      next.signal("INT");
      assertThat(next.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void unreachableDatabaseIsOneClearLineAndExit1() throws Exception {
    int closed = TestNodes.freePorts(1).get(0);
    Map<String, String> bad = new java.util.HashMap<>(env);
    bad.put("GATEHOUSE_DATABASE__URL", "postgresql://gatehouse:pw@127.0.0.1:" + closed + "/gatehouse");
    bad.put("GATEHOUSE_DATABASE__CONNECT_TIMEOUT", "2s");
    try (NodeProcess node = NodeProcess.start(workDir, bad, "run")) {
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      Thread.sleep(200);
      assertThat(node.stderr()).hasSize(1);
      assertThat(node.stderr().get(0)).startsWith("gatehouse: could not start: cannot reach PostgreSQL at 127.0.0.1:"
          + closed + "/gatehouse");
    }
  }

  @Test
  void misspelledKeyIsRefusedBeforeAnythingStarts() throws Exception {
    Files.writeString(workDir.resolve("g.yaml"), "cluster:\n  memebers: []\n");
    try (NodeProcess node = NodeProcess.start(workDir, env, "run", "--config", "g.yaml")) {
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      Thread.sleep(200);
      assertThat(node.stderr()).containsExactly(
          "gatehouse: configuration error: cluster.memebers: unknown key (did you mean cluster.members?)");
      assertThat(Files.exists(workDir.resolve("data"))).isFalse();
    }
  }
}
