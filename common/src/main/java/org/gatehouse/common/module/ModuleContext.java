package org.gatehouse.common.module;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.bus.ClusterMembers;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.HttpEdge;

/**
 * What the node hands every module when it deploys it: the shared HTTP edge to add routes to, the database
 * pool, the Hazelcast member (for the module's own shared structures), the cluster membership, the clock and
 * the meter registry {@code /metrics} serves.
 */
public record ModuleContext(
    Vertx vertx,
    Pool pool,
    HttpEdge edge,
    HazelcastInstance hazelcast,
    ClusterMembers members,
    NodeSettings node,
    Clock clock,
    MeterRegistry meters) {

  /** How long an acknowledged cluster-wide fact may take before the action reports it as not in force. */
  public static final Duration BROADCAST_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The context of a node started for one command-line command: a Vert.x instance of its own (not in the cluster),
   * the database, and the node settings, so that a module's command-line services answer on its bus as they do
   * on every node. It has no HTTP edge and no Hazelcast member ({@link #edge()} and {@link #hazelcast()} are null):
   * only what a module offers for commands runs there, never its verticle.
   */
  public static ModuleContext forCommand(Vertx vertx, Pool pool, NodeSettings node, Clock clock) {
    return new ModuleContext(vertx, pool, null, null, ClusterMembers.single("command"), node, clock,
        new SimpleMeterRegistry());
  }

  public ClusterBroadcast broadcast() {
    return new ClusterBroadcast(vertx, members, BROADCAST_TIMEOUT);
  }

  /** The homeserver this node keeps in step, through the connector module; standalone when none is configured. */
  public Homeserver homeserver() {
    return node.homeserver().map(link -> Homeserver.overBus(vertx.eventBus(), link.callTimeout()))
        .orElse(Homeserver.standalone());
  }
}
