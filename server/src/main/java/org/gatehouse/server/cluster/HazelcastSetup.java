package org.gatehouse.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.server.config.ClusterConfig;

/**
 * The Hazelcast member configuration of a node: Vert.x's own defaults (the maps its cluster manager needs)
 * plus the cluster name and a TCP-IP member list. Multicast and cloud auto-detection are off: a member only
 * ever joins the members it was told about.
 *
 * <p>The member listens on {@code cluster.host} only (not the wildcard address). The cluster name Hazelcast compares
 * at join, and that a Hazelcast client must present, carries an HMAC under the cluster secret
 * ({@link ClusterSecret#hazelcastClusterName()}). Hazelcast's advanced network (a member endpoint without a client
 * one) would close the client protocol altogether, but with it a member restarted on its address hangs while it
 * rejoins (its event-service registration never completes: RendezvousClusterTest's rolling restart), so the
 * classic network is kept until that is understood.
 */
public final class HazelcastSetup {
  private HazelcastSetup() {
  }

  /** {@code clusterName}: the name Hazelcast compares at join. */
  public static Config config(ClusterConfig cluster, String clusterName) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // The node stops Hazelcast itself, after undeploying its verticles; Hazelcast's own hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A member list needs no waiting for multicast answers; join as soon as the listed members answer.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // Notice a member that vanished without leaving (kill -9, lost host) within seconds, not the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");

    // Listen on cluster.host only: without this Hazelcast binds the wildcard address, whatever the public address.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.setPublicAddress(cluster.host() + ":" + cluster.port());
    network.getInterfaces().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = new ArrayList<>(cluster.members());
    if (members.isEmpty()) {
      members.add(cluster.host() + ":" + cluster.port());
    }
    join.getTcpIpConfig().setEnabled(true).setMembers(members).setConnectionTimeoutSeconds(2);
    return config;
  }
}
