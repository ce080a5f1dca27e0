package org.gatehouse.rendezvous;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.rendezvous.http.AccessGuard;
import org.gatehouse.rendezvous.http.Msc4108Api;
import org.gatehouse.rendezvous.http.Msc4388Api;
import org.gatehouse.rendezvous.service.ChangeWaiters;
import org.gatehouse.rendezvous.service.RendezvousService;
import org.gatehouse.rendezvous.store.CachingSessionStore;
import org.gatehouse.rendezvous.store.CapacityRecord;
import org.gatehouse.rendezvous.store.HazelcastSessionStore;
import org.gatehouse.rendezvous.store.RendezvousMaps;
import org.gatehouse.rendezvous.store.SessionCapacity;
import org.gatehouse.rendezvous.store.SessionReadCache;
import org.gatehouse.rendezvous.store.SessionRecord;
import org.gatehouse.rendezvous.store.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rendezvous module on one node: configures its Hazelcast maps, mounts the enabled APIs on the shared
 * edge and listens for session changes published by any node, which wake this node's long-polls.
 */
public final class RendezvousVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RendezvousVerticle.class);

  private final RendezvousConfig config;
  private final ModuleContext context;

  RendezvousVerticle(RendezvousConfig config, ModuleContext context) {
    this.config = config;
    this.context = context;
  }

  /** The Hazelcast handles, obtained off the event loop (creating a proxy the first time is a cluster call). */
  private record Structures(IMap<String, SessionRecord> sessions, IMap<String, CapacityRecord> capacity,
                            ClusterRateLimiter rateLimiter) {
  }

  @Override
  public Future<?> start() {
    HazelcastInstance hazelcast = context.hazelcast();
    return vertx.executeBlocking(() -> {
      RendezvousMaps.configure(hazelcast, config.backupCount());
      return new Structures(hazelcast.getMap(RendezvousMaps.SESSIONS), hazelcast.getMap(RendezvousMaps.CAPACITY),
          new ClusterRateLimiter(vertx, hazelcast, RendezvousMaps.RATE_LIMITS, context.clock()));
    }).compose(this::serve);
  }

  private Future<?> serve(Structures structures) {
    ChangeWaiters waiters = new ChangeWaiters(config.longPollMaxWaiters());
    SessionReadCache readCache = new SessionReadCache(config.readCacheMaxSessions());
    ClusterBroadcast announcements = new ClusterBroadcast(vertx, context.members(), RendezvousService.ANNOUNCE_TIMEOUT);
    SessionStore shared = new HazelcastSessionStore(vertx, structures.sessions());
    RendezvousService service = new RendezvousService(vertx, announcements, readCache,
        readCache.enabled() ? new CachingSessionStore(shared, readCache) : shared,
        new SessionCapacity(vertx, structures.capacity(), config.maxSessions()), waiters, context.clock(),
        config.sessionLifetime());
    AccessGuard guard = new AccessGuard(structures.rateLimiter(), config.createLimit(), config.accessLimit(),
        new Authenticator(vertx.eventBus()));
    if (config.msc4388Enabled()) {
      new Msc4388Api(service, guard, config).mount(context.edge().router());
    }
    if (config.msc4108Enabled()) {
      new Msc4108Api(service, guard, config, context.node()).mount(context.edge().router(), context.edge().cors());
    }
    // Each change reaches this node twice: first addressed to it, acknowledged once the read cache has dropped the
    // session; then published to all, once every node has, to wake the long-polls.
    MessageConsumer<JsonObject> invalidations = announcements.consume(RendezvousAddresses.SESSION_CHANGED, body -> {
      readCache.invalidate(SessionChanged.fromJson(body).id());
      return Future.succeededFuture();
    });
    MessageConsumer<JsonObject> changes = vertx.eventBus().consumer(RendezvousAddresses.SESSION_CHANGED,
        message -> waiters.changed(SessionChanged.fromJson(message.body())));
    return Future.all(invalidations.completion(), changes.completion()).onSuccess(registered -> LOG.info(
        "rendezvous: MSC4388 {}, MSC4108 {}, sessions live {}s, at most {} cluster-wide, long-poll up to {}s",
        config.msc4388Mode().name().toLowerCase(java.util.Locale.ROOT), config.msc4108Enabled() ? "on" : "off",
        config.sessionLifetime().toSeconds(), config.maxSessions(), config.longPollMaxWait().toSeconds()));
  }
}
