package org.gatehouse.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** What a module test starts ends with its Vert.x, so a test on VertxExtension's Vert.x has nothing to close. */
class ModuleServerTest {
  @Test
  void theHazelcastMemberLeavesWhenTheVertxCloses() {
    Vertx vertx = Vertx.vertx();
    ModuleServer server = ModuleServer.on(vertx);
    assertThat(server.hazelcast().getLifecycleService().isRunning()).isTrue();
    vertx.close().await();
    assertThat(server.hazelcast().getLifecycleService().isRunning()).isFalse();
  }
}
