package org.gatehouse.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.gatehouse.server.GatehouseNode;
import org.gatehouse.server.Main;
import org.gatehouse.server.config.GatehouseConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.bus.BusErrors;
import sun.misc.Signal;

/**
 * {@code gatehouse run}: starts a node and serves until SIGINT or SIGTERM, then stops it in order and exits 0.
 * A second signal while stopping gives up waiting and exits 1.
 */
public final class RunCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  private final Path configFile;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public RunCommand(Path configFile, Map<String, String> env, PrintStream out, PrintStream err) {
    this.configFile = configFile;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Reads and validates the configuration; throws ConfigException. */
  public GatehouseConfig loadConfig() {
    return GatehouseConfig.load(configFile, env, Modules.all());
  }

  public int run() {
    GatehouseConfig config = loadConfig();
    LogLevels.apply(config.logging());
    LOG.info("starting Gatehouse with {}", configFile == null ? "built-in defaults" : configFile);
    long started = System.nanoTime();
    GatehouseNode node;
    try {
      node = GatehouseNode.start(config, Clock.systemUTC()).await(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      err.println("gatehouse: could not start: " + rootMessage(e));
      LOG.debug("start-up failure", e);
      return Main.EXIT_FAILURE;
    }
    String base = "http://" + hostForUrl(config.http().host()) + ":" + node.httpPort() + "/";
    out.printf("Gatehouse is ready in %.1fs%n  base URL:   %s%n  public URL: %s%n  health:     %shealth/ready%n",
        (System.nanoTime() - started) / 1e9, base, config.node().publicBaseUrl(), base);
    if (config.metrics().enabled()) {
      out.printf("  metrics:    http://%s:%d/metrics%n", hostForUrl(config.metrics().host()), node.metricsPort());
    }
    out.flush();
    return awaitStopSignal(node);
  }

  private int awaitStopSignal(GatehouseNode node) {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicInteger exitCode = new AtomicInteger(Main.EXIT_OK);
    Runnable stop = () -> {
      if (!stopping.compareAndSet(false, true)) {
        err.println("gatehouse: second signal while stopping; stopping the database and exiting now");
        node.stopDatabaseNow();
        Runtime.getRuntime().halt(Main.EXIT_FAILURE);
      }
      node.stop().onComplete(done -> {
        if (done.failed()) {
          err.println("gatehouse: error while stopping: " + rootMessage(done.cause()));
          exitCode.set(Main.EXIT_FAILURE);
        } else {
          out.println("Gatehouse stopped");
        }
        stopped.countDown();
      });
    };
    Signal.handle(new Signal("INT"), signal -> stop.run());
    Signal.handle(new Signal("TERM"), signal -> stop.run());
    // SIGHUP re-reads the appservice registrations and puts them in force on every node of the cluster.
    Signal.handle(new Signal("HUP"), signal -> node.vertx().eventBus()
        .<JsonObject>request(AuthAddresses.APPSERVICES_RELOAD, new JsonObject().put("by", "SIGHUP"),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(30_000))
        .onSuccess(reply -> LOG.info("SIGHUP: appservice registrations in force: {}", reply.body().getJsonArray("appservices")))
        .onFailure(failure -> LOG.error("SIGHUP: {}", BusErrors.toMatrixError(failure).getMessage())));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return exitCode.get();
  }

  private static String hostForUrl(String host) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof org.gatehouse.server.StartupException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replaceAll("\\s+", " ");
  }
}
