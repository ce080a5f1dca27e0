package org.gatehouse.server.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.database.EmbeddedPostgres;
import org.gatehouse.database.Migration;
import org.gatehouse.database.Migrator;
import org.gatehouse.homeserver.HomeserverConfig;
import org.gatehouse.homeserver.HomeserverModule;
import org.gatehouse.homeserver.sync.DirectHomeserver;
import org.gatehouse.server.config.GatehouseConfig;
import org.gatehouse.server.config.GatehouseConfig.ConfiguredModule;

/**
 * A node started for one command-line command, so that the command goes through the modules' event-bus contracts
 * as the other modules do, never through their tables or classes. It is a Vert.x instance of its own (not in the
 * cluster, no listener) on the configured database: the external one, the embedded one of a node running on the
 * configured data directory (found through it), or else the embedded one, started and migrated for the command.
 * On its bus: what the modules offer for commands ({@code GatehouseModule#commandVerticle}: the auth module's
 * account creation) and, with a homeserver configured, the connector's calls, answered directly
 * ({@link DirectHomeserver}: what it queues is sent by the next node that holds the outbox lease).
 */
final class CommandNode implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Vertx vertx;
  private final EmbeddedPostgres started;
  private final DirectHomeserver homeserver;

  private CommandNode(Vertx vertx, EmbeddedPostgres started, DirectHomeserver homeserver) {
    this.vertx = vertx;
    this.started = started;
    this.homeserver = homeserver;
  }

  /** Starts the node; blocks (never call it on an event loop). */
  static CommandNode start(GatehouseConfig config) throws Exception {
    EmbeddedPostgres started = null;
    PgConnectOptions connect;
    if (config.database().external().isPresent()) {
      connect = config.database().external().get();
    } else {
      var running = EmbeddedPostgres.runningServer(config.database().embeddedDataDir(), "postgres");
      if (running.isPresent()) {
        connect = running.get();
      } else {
        started = EmbeddedPostgres.start(config.database().embeddedDataDir(), config.database().embeddedBinaries(), true);
        connect = started.connectOptions("postgres");
      }
    }
    Vertx vertx = Vertx.vertx();
    DirectHomeserver homeserver = null;
    try {
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(connect).using(vertx).build();
      ModuleContext context = ModuleContext.forCommand(vertx, pool, config.node(), Clock.systemUTC());
      // With a homeserver kept in step, the name is checked and the account provisioned there first, as the
      // sign-up page and the admin API do.
      var connector = config.modules().stream().filter(m -> m.module() instanceof HomeserverModule && m.enabled())
          .findFirst();
      if (connector.isPresent()) {
        homeserver = new DirectHomeserver(vertx, (HomeserverConfig) connector.get().config(), pool);
      }
      DirectHomeserver calls = homeserver;
      Future<?> migrated = started == null ? Future.succeededFuture() : new Migrator(pool).migrate(migrations(config));
      migrated
          .compose(done -> calls == null ? Future.succeededFuture() : HomeserverCallsOnBus.serve(vertx.eventBus(), calls))
          .compose(done -> deployCommandVerticles(vertx, config, context))
          .await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return new CommandNode(vertx, started, homeserver);
    } catch (Exception | Error e) {
      new CommandNode(vertx, started, homeserver).close();
      throw e;
    }
  }

  /** Asks {@code address} on this node's bus; a refusal is thrown as the Matrix error the service answered. */
  JsonObject request(String address, JsonObject body, Duration timeout) throws Exception {
    return vertx.eventBus().<JsonObject>request(address, body,
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeout.toMillis()))
        .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)))
        .map(Message::body)
        .await(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }

  /** Stops Vert.x, then the embedded database if the command started it. */
  @Override
  public void close() {
    try {
      if (homeserver != null) {
        homeserver.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().join();
    } finally {
      if (started != null) {
        started.close();
      }
    }
  }

  /** What each enabled module serves for commands, in deployment order. */
  private static Future<Void> deployCommandVerticles(Vertx vertx, GatehouseConfig config, ModuleContext context) {
    Future<?> chain = Future.succeededFuture();
    for (ConfiguredModule<?> module : config.modules().stream().filter(ConfiguredModule::enabled).toList()) {
      var verticle = module.commandVerticle(context);
      if (verticle.isPresent()) {
        chain = chain.compose(previous -> vertx.deployVerticle(verticle.get()));
      }
    }
    return chain.mapEmpty();
  }

  private static List<Migration> migrations(GatehouseConfig config) {
    List<Migration> all = new ArrayList<>();
    config.modules().forEach(m -> all.addAll(Migrator.load(CommandNode.class.getClassLoader(), m.module().name())));
    return all;
  }
}
