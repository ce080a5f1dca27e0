package org.gatehouse.server.cluster;

import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import org.gatehouse.common.bus.ClusterMembers;

/** Cluster membership as the Vert.x Hazelcast cluster manager sees it. */
public final class HazelcastMembers implements ClusterMembers {
  private final HazelcastClusterManager manager;

  public HazelcastMembers(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  @Override
  public String localNodeId() {
    return manager.getNodeId();
  }

  @Override
  public List<String> nodeIds() {
    return manager.getNodes();
  }
}
