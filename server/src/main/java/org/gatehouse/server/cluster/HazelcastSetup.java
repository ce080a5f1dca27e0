package org.gatehouse.server.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.server.config.ClusterConfig;

/**
 * The Hazelcast member configuration of a node: Vert.x's own defaults (the maps its cluster manager needs)
 * plus the cluster name and a TCP-IP member list. Multicast and cloud auto-detection are off: a member only
 * ever joins the members it was told about.
 *
 * <p>The member listens on {@code cluster.host} only (not the wildcard address), and serves the member protocol
 * only: the advanced network configuration has no client endpoint, so Hazelcast clients, REST and memcache
 * requests are refused on the port. The cluster name Hazelcast compares at join carries an HMAC under the cluster
 * secret ({@link ClusterSecret#hazelcastClusterName()}).
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
    // The classic network section (Vert.x's default file configures multicast there) must stay at its defaults
    // when the advanced one is on.
    config.getNetworkConfig().setJoin(new JoinConfig());
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(cluster.port()).setPortAutoIncrement(false);
    member.setPublicAddress(cluster.host() + ":" + cluster.port());
    member.getInterfaces().setEnabled(false);
    network.setMemberEndpointConfig(member);
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
