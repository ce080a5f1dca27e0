package org.gatehouse.server;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gatehouse.common.bus.ClusterMembers;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.database.EmbeddedPostgres;
import org.gatehouse.database.Migration;
import org.gatehouse.database.Migrator;
import org.gatehouse.server.cluster.ClusterIdentity;
import org.gatehouse.server.cluster.ClusterSecret;
import org.gatehouse.server.cluster.HazelcastMembers;
import org.gatehouse.server.cluster.HazelcastSetup;
import org.gatehouse.server.config.GatehouseConfig.ConfiguredModule;
import org.gatehouse.server.config.GatehouseConfig;
import org.gatehouse.server.http.HealthRoutes;
import org.gatehouse.server.http.HttpListenerVerticle;
import org.gatehouse.server.http.VersionsRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Gatehouse node: a clustered Vert.x instance (Hazelcast member), the database pool, the modules'
 * verticles and the public HTTP listener.
 *
 * <p>Start order: embedded database (if no URL), cluster member, database reachable, migrations (under the
 * advisory lock), module verticles, service routes, HTTP listeners. Stop reverses it: verticles undeployed and
 * listeners closed, the member leaves the cluster, then the embedded database stops.
 */
public final class GatehouseNode {
  private static final Logger LOG = LoggerFactory.getLogger(GatehouseNode.class);

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;
  private final Pool pool;
  private final EmbeddedPostgres embedded;
  private final int httpPort;
  private final int metricsPort;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private GatehouseNode(Vertx vertx, HazelcastClusterManager clusterManager, Pool pool, EmbeddedPostgres embedded,
                        Ports ports) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.pool = pool;
    this.embedded = embedded;
    this.httpPort = ports.http();
    this.metricsPort = ports.metrics();
  }

  /** The ports the node's listeners got; {@code metrics} is 0 when the metrics listener is off. */
  private record Ports(int http, int metrics) {
  }

  /**
   * Starts a node. Blocks the calling thread while an embedded database is prepared (never call it from an
   * event loop); everything after that is asynchronous. On failure everything started so far is stopped again
   * and the future fails with a {@link StartupException} whose message is one line for the operator.
   */
  public static Future<GatehouseNode> start(GatehouseConfig config, Clock clock) {
    ClusterSecret secret;
    try {
      ClusterIdentity identity = ClusterIdentity.resolve(config.cluster(), config.dataDir());
      secret = new ClusterSecret(identity.name(), identity.secret());
    } catch (RuntimeException e) {
      return Future.failedFuture(new StartupException("cluster identity: " + e.getMessage(), e));
    }
    EmbeddedPostgres embedded = null;
    PgConnectOptions connect;
    try {
      if (config.database().external().isPresent()) {
        connect = new PgConnectOptions(config.database().external().get());
      } else {
        embedded = EmbeddedPostgres.start(config.database().embeddedDataDir(), config.database().embeddedBinaries(), true);
        connect = embedded.connectOptions("postgres");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(new StartupException("embedded database: " + e.getMessage(), e));
    }
    EmbeddedPostgres db = embedded;
    // Created here, outside any Vert.x context: if start-up fails, Vert.x is closed and a result bound to one of
    // its event loops could never be delivered.
    Promise<GatehouseNode> result = Promise.promise();
    startCluster(config, secret).onComplete(started -> {
      if (started.failed()) {
        if (db != null) {
          db.close();
        }
        result.fail(new StartupException("cluster: " + started.cause().getMessage(), started.cause()));
        return;
      }
      Booting booting = started.result();
      booting.run(config, connect, db, clock).onComplete(ran -> {
        if (ran.succeeded()) {
          result.complete(ran.result());
          return;
        }
        Throwable failure = ran.cause();
        closeThen(booting.vertx, db).onComplete(closed -> result.fail(failure instanceof StartupException ? failure
            : new StartupException(failure.getMessage(), failure)));
      });
    });
    return result.future();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  public ClusterMembers members() {
    return new HazelcastMembers(clusterManager);
  }

  public String nodeId() {
    return clusterManager.getNodeId();
  }

  public int httpPort() {
    return httpPort;
  }

  /** The port of the metrics listener ({@code metrics.port}, or the one picked when it is 0); 0 when it is off. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The port of the clustered event bus (the configured one, or the one picked when it is 0). */
  public int eventBusPort() {
    return clusterManager.getNodeInfo().port();
  }

  /** Undeploys everything, leaves the cluster and stops the embedded database. Safe to call twice. */
  public Future<Void> stop() {
    if (!stopped.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    LOG.info("stopping: undeploying verticles and leaving the cluster");
    return closeThen(vertx, embedded);
  }

  /**
   * Closes Vert.x (undeploy, leave the cluster), then stops the embedded database. The continuation must not run
   * on a Vert.x context: once Vert.x is closed its event loops are gone and a callback dispatched there is lost.
   */
  private static Future<Void> closeThen(Vertx vertx, EmbeddedPostgres embedded) {
    Promise<Void> done = Promise.promise();
    vertx.close().toCompletionStage().whenComplete((ignored, failure) -> {
      try {
        if (embedded != null) {
          embedded.close();
        }
      } finally {
        if (failure == null) {
          done.complete();
        } else {
          done.fail(failure);
        }
      }
    });
    return done.future();
  }

  /** Last resort when the operator insists (second signal): stop the embedded database, nothing else. */
  public void stopDatabaseNow() {
    if (embedded != null) {
      embedded.close();
    }
  }

  /**
   * Stops this node the way a crash would: the Hazelcast member vanishes without leaving and nothing is
   * undeployed. For tests of what the other members keep.
   */
  public void crash() {
    stopped.set(true);
    HazelcastInstance hz = clusterManager.getHazelcastInstance();
    hz.getLifecycleService().terminate();
    vertx.close();
  }

  private static Future<Booting> startCluster(GatehouseConfig config, ClusterSecret secret) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(config.cluster(),
        secret.hazelcastClusterName()));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(config.metrics().enabled())
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.EB_ADDRESS, Label.EB_SIDE,
            Label.POOL_TYPE, Label.POOL_NAME))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(metrics)
        .setEventBusOptions(secret.secure(new EventBusOptions().setHost(config.cluster().host())
            .setPort(config.cluster().eventBusPort())));
    return Vertx.builder().with(options).withClusterManager(manager).withMetrics(new MicrometerMetricsFactory(registry))
        .buildClustered()
        .map(vertx -> new Booting(vertx, manager, registry));
  }

  /** The part of start-up that happens once the cluster member is up. */
  private record Booting(Vertx vertx, HazelcastClusterManager manager, PrometheusMeterRegistry registry) {
    Future<GatehouseNode> run(GatehouseConfig config, PgConnectOptions connect, EmbeddedPostgres embedded, Clock clock) {
      Pool pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(config.database().poolSize()).setName("gatehouse")
              .setConnectionTimeout((int) config.database().connectTimeout().toMillis())
              .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
          .with(new io.vertx.core.net.NetClientOptions()
              .setConnectTimeout((int) config.database().connectTimeout().toMillis()))
          .connectingTo(connect)
          .using(vertx)
          .build();
      String where = connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
      HttpEdge edge = new HttpEdge(vertx, config.http().edgeSettings());
      AtomicBoolean modulesReady = new AtomicBoolean();
      ClusterMembers members = new HazelcastMembers(manager);
      ModuleContext context = new ModuleContext(vertx, pool, edge, manager.getHazelcastInstance(), members,
          config.node(), clock, registry);
      return pool.query("SELECT 1").execute()
          .recover(failure -> Future.failedFuture(new StartupException("cannot reach PostgreSQL at " + where + ": "
              + failure.getMessage(), failure)))
          .compose(reachable -> new Migrator(pool).migrate(migrations(config)))
          .onSuccess(applied -> LOG.info(applied == 0 ? "database schema is up to date" : "applied {} migration(s)", applied))
          .compose(migrated -> deployModules(config, context))
          .compose(deployed -> {
            modulesReady.set(true);
            mountServiceRoutes(config, edge, pool, modulesReady, context);
            edge.seal();
            return listen(config, edge);
          })
          .compose(port -> listenForMetrics(config).map(metricsPort -> new Ports(port, metricsPort)))
          .map(ports -> new GatehouseNode(vertx, manager, pool, embedded, ports));
    }

    private Future<Void> deployModules(GatehouseConfig config, ModuleContext context) {
      Future<?> chain = Future.succeededFuture();
      for (ConfiguredModule<?> configured : config.modules().stream().filter(ConfiguredModule::enabled).toList()) {
        chain = chain.compose(previous -> vertx.deployVerticle(verticleOf(configured, context))
            .recover(failure -> Future.failedFuture(new StartupException("module " + configured.module().name()
                + " failed to start: " + failure.getMessage(), failure))));
      }
      return chain.mapEmpty();
    }

    private static <C> io.vertx.core.Deployable verticleOf(ConfiguredModule<C> configured, ModuleContext context) {
      return configured.module().verticle(configured.config(), context);
    }

    private void mountServiceRoutes(GatehouseConfig config, HttpEdge edge, Pool pool, AtomicBoolean modulesReady,
                                    ModuleContext context) {
      if (config.matrix().serveVersions()) {
        Map<String, Boolean> features = new TreeMap<>();
        config.modules().stream().filter(ConfiguredModule::enabled).forEach(m -> features.putAll(m.unstableFeatures()));
        // With a homeserver, its answer merged with the modules' features (it is asked through the connector).
        VersionsRoute.mount(edge.router(), config.matrix().versions(), features, context.homeserver());
      }
      new HealthRoutes(pool, manager, modulesReady::get).mount(edge.router());
    }

    /** {@code GET /metrics} on a listener of its own (internal by default), never on the public one. */
    private Future<Integer> listenForMetrics(GatehouseConfig config) {
      if (!config.metrics().enabled()) {
        return Future.succeededFuture(0);
      }
      Router router = Router.router(vertx);
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
      HttpListenerVerticle listener = new HttpListenerVerticle(router, config.metrics().host(), config.metrics().port());
      return vertx.deployVerticle(listener)
          .recover(failure -> Future.failedFuture(new StartupException("cannot listen on " + config.metrics().host()
              + ":" + config.metrics().port() + " (metrics.host, metrics.port): " + failure.getMessage(), failure)))
          .map(id -> listener.actualPort());
    }

    private Future<Integer> listen(GatehouseConfig config, HttpEdge edge) {
      HttpListenerVerticle first = new HttpListenerVerticle(edge.router(), config.http().host(), config.http().port());
      return vertx.deployVerticle(first)
          .recover(failure -> Future.failedFuture(new StartupException("cannot listen on " + config.http().host() + ":"
              + config.http().port() + ": " + failure.getMessage(), failure)))
          .compose(id -> {
            // Further instances bind the port the first one got (which matters when the configured port is 0).
            int port = first.actualPort();
            int more = config.http().effectiveInstances() - 1;
            if (more == 0) {
              return Future.succeededFuture(port);
            }
            return vertx.deployVerticle(() -> new HttpListenerVerticle(edge.router(), config.http().host(), port),
                new DeploymentOptions().setInstances(more)).map(port);
          });
    }

    private static List<Migration> migrations(GatehouseConfig config) {
      List<Migration> all = new ArrayList<>();
      for (ConfiguredModule<?> m : config.modules()) {
        all.addAll(Migrator.load(GatehouseNode.class.getClassLoader(), m.module().name()));
      }
      return all;
    }
  }
}
