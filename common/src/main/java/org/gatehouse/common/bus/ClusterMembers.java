package org.gatehouse.common.bus;

import java.util.List;

/** The nodes of the cluster as the event bus knows them (Vert.x node ids). */
public interface ClusterMembers {
  String localNodeId();

  List<String> nodeIds();

  /** A cluster of one, for a node running without other members known. */
  static ClusterMembers single(String nodeId) {
    return new ClusterMembers() {
      @Override
      public String localNodeId() {
        return nodeId;
      }

      @Override
      public List<String> nodeIds() {
        return List.of(nodeId);
      }
    };
  }
}
