package org.gatehouse.common.module;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.bus.ClusterMembers;
import org.gatehouse.common.http.HttpEdge;

/**
 * What the node hands every module when it deploys it: the shared HTTP edge to add routes to, the database
 * pool, the Hazelcast member (for the module's own shared structures), the cluster membership and the clock.
 */
public record ModuleContext(
    Vertx vertx,
    Pool pool,
    HttpEdge edge,
    HazelcastInstance hazelcast,
    ClusterMembers members,
    NodeSettings node,
    Clock clock) {

  /** How long an acknowledged cluster-wide fact may take before the action reports it as not in force. */
  public static final Duration BROADCAST_TIMEOUT = Duration.ofSeconds(5);

  public ClusterBroadcast broadcast() {
    return new ClusterBroadcast(vertx, members, BROADCAST_TIMEOUT);
  }
}
