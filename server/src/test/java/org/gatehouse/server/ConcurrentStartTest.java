package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.database.Migrator;
import org.gatehouse.server.cli.Modules;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.Test;

/** Three nodes booting at the same moment on an empty database: one migrates, all come up. */
class ConcurrentStartTest {
  @Test
  void nodesStartingTogetherMigrateOnceAndAllServe() throws Exception {
    try (TestNodes nodes = TestNodes.start(3)) {
      int expected = Modules.all().stream()
          .mapToInt(m -> Migrator.load(getClass().getClassLoader(), m.name()).size()).sum();
      List<Row> rows = new ArrayList<>();
      nodes.node(0).pool().query("SELECT module, version FROM gatehouse_migrations").execute()
          .await(10, TimeUnit.SECONDS).forEach(rows::add);
      assertThat(expected).isPositive();
      assertThat(rows).hasSize(expected);
      for (int i = 0; i < 3; i++) {
        assertThat(nodes.node(i).hazelcast().getCluster().getMembers()).hasSize(3);
      }
    }
  }
}
