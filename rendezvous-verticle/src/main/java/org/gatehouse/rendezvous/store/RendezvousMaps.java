package org.gatehouse.rendezvous.store;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast structures the rendezvous module owns, and their configuration. The member configuration belongs
 * to the node, so the module adds its map configurations dynamically at start, before first use; every member
 * adds the same ones, which Hazelcast accepts as long as they are identical.
 */
public final class RendezvousMaps {
  /** Session id → {@link SessionRecord}; per-entry time to live, synchronous backups. */
  public static final String SESSIONS = "gatehouse.rendezvous.sessions";
  /** One entry, {@link #CAPACITY_KEY} → {@link CapacityRecord}: the live sessions of the whole cluster. */
  public static final String CAPACITY = "gatehouse.rendezvous.capacity";
  public static final String CAPACITY_KEY = "live";
  /** Client address → token bucket, for {@code ClusterRateLimiter}. */
  public static final String RATE_LIMITS = "gatehouse.rendezvous.ratelimits";

  private static final Logger LOG = LoggerFactory.getLogger(RendezvousMaps.class);

  private RendezvousMaps() {
  }

  /** Adds the map configurations. Blocking (a cluster-wide operation): call it off the event loop. */
  public static void configure(HazelcastInstance hazelcast, int backupCount) {
    // Sessions and the capacity count must survive the loss of a member: synchronous backups, so that a write is
    // acknowledged only once a second member holds it. No eviction policy: a live session is never evicted.
    add(hazelcast, new MapConfig(SESSIONS).setBackupCount(backupCount).setAsyncBackupCount(0)
        .setReadBackupData(false));
    // One small entry updated in place by entry processors: kept as an object to skip (de)serialising it each time.
    add(hazelcast, new MapConfig(CAPACITY).setBackupCount(backupCount).setAsyncBackupCount(0)
        .setInMemoryFormat(InMemoryFormat.OBJECT));
    // Losing a rate-limit bucket with a member only forgives a few requests: an asynchronous backup keeps the
    // hot path from waiting for a second member. Buckets are replaced on every request by an entry processor on
    // the owner: kept as objects, they are not serialised and deserialised each time.
    add(hazelcast, new MapConfig(RATE_LIMITS).setBackupCount(0).setAsyncBackupCount(1)
        .setInMemoryFormat(InMemoryFormat.OBJECT));
  }

  private static void add(HazelcastInstance hazelcast, MapConfig config) {
    try {
      hazelcast.getConfig().addMapConfig(config);
    } catch (InvalidConfigurationException e) {
      // Another member (older configuration, rolling change) configured it first; the cluster keeps one.
      LOG.warn("the cluster already configures map {} differently; keeping the cluster's configuration ({})",
          config.getName(), e.getMessage());
    }
  }
}
