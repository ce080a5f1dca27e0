package org.gatehouse.rendezvous;

import java.time.Duration;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.infra.ratelimit.RateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rendezvous} section of the configuration (documented with its defaults in {@code conf/gatehouse.yaml}).
 *
 * @param msc4388Mode who may create MSC4388 sessions ({@code off} serves none of its endpoints)
 * @param msc4108Enabled whether the MSC4108 (2024) endpoints are served and advertised
 * @param sessionLifetime how long a session lives after creation (writes do not extend it)
 * @param maxPayloadChars the largest payload, in characters
 * @param maxSessions the most sessions live at once across the cluster; creation beyond is refused, never evicting
 * @param backupCount synchronous Hazelcast backups of every session (members that may be lost without losing one)
 * @param longPollMaxWait the longest a long-poll is held; zero turns long-polling off
 * @param longPollMaxWaiters the most long-polls parked on one node; beyond, they are answered at once
 * @param createLimit per client address, cluster-wide: session creation
 * @param accessLimit per client address, cluster-wide: reads, writes and deletes of sessions
 * @param readCacheMaxSessions the most sessions each node keeps as last read (for polls); 0 turns it off
 */
public record RendezvousConfig(
    Msc4388Mode msc4388Mode,
    boolean msc4108Enabled,
    Duration sessionLifetime,
    int maxPayloadChars,
    int maxSessions,
    int backupCount,
    Duration longPollMaxWait,
    int longPollMaxWaiters,
    RateLimit createLimit,
    RateLimit accessLimit,
    int readCacheMaxSessions) {

  /** Who may create MSC4388 sessions. */
  public enum Msc4388Mode {
    /** None of the MSC4388 endpoints exist (404 {@code M_UNRECOGNIZED}). */
    OFF,
    /** Anyone may create a session. */
    OPEN,
    /** Creating a session (and the discovery GET) needs a valid access token. */
    AUTHENTICATED
  }

  public static final Duration MIN_LIFETIME = Duration.ofSeconds(30);
  public static final Duration MAX_LIFETIME = Duration.ofSeconds(600);
  /** MSC4388 asks for at least two and at most five minutes; outside that, clients may give up or linger. */
  public static final Duration RECOMMENDED_MIN_LIFETIME = Duration.ofSeconds(120);
  public static final Duration RECOMMENDED_MAX_LIFETIME = Duration.ofSeconds(300);

  public static final RendezvousConfig DEFAULTS = new RendezvousConfig(Msc4388Mode.OPEN, true,
      Duration.ofSeconds(120), 4096, 10_000, 1, Duration.ofSeconds(30), 10_000,
      new RateLimit(0.2, 10), new RateLimit(20, 100), 10_000);

  private static final Logger LOG = LoggerFactory.getLogger(RendezvousConfig.class);

  /** Reads and validates the section; a bad value throws {@code ConfigException} naming the key. */
  public static RendezvousConfig read(ConfigNode section, NodeSettings node) {
    RendezvousConfig d = DEFAULTS;
    Msc4388Mode mode = section.section("msc4388").choice("mode", d.msc4388Mode());
    boolean msc4108 = section.section("msc4108").bool("enabled", d.msc4108Enabled());
    Duration lifetime = section.duration("session_lifetime", d.sessionLifetime(), MIN_LIFETIME, MAX_LIFETIME);
    if (lifetime.compareTo(RECOMMENDED_MIN_LIFETIME) < 0 || lifetime.compareTo(RECOMMENDED_MAX_LIFETIME) > 0) {
      LOG.warn("{} is {}s, outside the 120s-300s MSC4388 recommends: clients may give up before a slow user "
          + "finishes, or sessions linger longer than needed", section.keyOf("session_lifetime"), lifetime.toSeconds());
    }
    int maxPayload = section.integer("max_payload_chars", d.maxPayloadChars(), 1, 65_536);
    int maxSessions = section.integer("max_sessions", d.maxSessions(), 1, 10_000_000);
    int backups = section.integer("backup_count", d.backupCount(), 1, 6);
    ConfigNode longPoll = section.section("long_poll");
    Duration maxWait = longPoll.duration("max_wait", d.longPollMaxWait(), Duration.ZERO, Duration.ofMinutes(5));
    int maxWaiters = longPoll.integer("max_waiters", d.longPollMaxWaiters(), 0, 1_000_000);
    ConfigNode limits = section.section("rate_limits");
    RateLimit create = RateLimit.read(limits, "create", d.createLimit());
    RateLimit access = RateLimit.read(limits, "access", d.accessLimit());
    int readCache = section.section("read_cache").integer("max_sessions", d.readCacheMaxSessions(), 0, 10_000_000);
    return new RendezvousConfig(mode, msc4108, lifetime, maxPayload, maxSessions, backups, maxWait, maxWaiters,
        create, access, readCache);
  }

  public boolean msc4388Enabled() {
    return msc4388Mode != Msc4388Mode.OFF;
  }
}
