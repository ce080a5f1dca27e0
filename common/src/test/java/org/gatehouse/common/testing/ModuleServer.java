package org.gatehouse.common.testing;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.gatehouse.common.bus.ClusterMembers;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.http.EdgeSettings;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.http.TrustedProxies;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.common.module.ModuleContext;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.database.Migrator;

/**
 * One module running as in a node, for that module's own tests: a real HTTP edge on a free port, a real
 * single-member Hazelcast, a fresh database of the embedded PostgreSQL with the module's migrations applied.
 * What the module asks of other modules over the event bus, the test provides by registering consumers on
 * {@link #vertx()} before {@link #start}.
 *
 * <p>Everything it starts ends when its Vert.x closes (the Hazelcast member leaves as its verticles are
 * undeployed), so a test that runs it on the {@code Vertx} of {@code VertxExtension} ({@link #on(Vertx)}) has
 * nothing to close: the extension closes that Vert.x after the test, or after the class for one injected in
 * {@code @BeforeAll}.
 */
public final class ModuleServer implements AutoCloseable {
  public static final String SERVER_NAME = "test.local";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Pool pool;
  private final HttpEdge edge;
  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
  private HttpServer server;
  private WebClient client;

  private ModuleServer(Vertx vertx, List<String> trustedProxies) {
    this.vertx = vertx;
    hazelcast = TestHazelcast.cluster(1).get(0);
    HazelcastInstance member = hazelcast;
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> stop() {
        return vertx.executeBlocking(() -> {
          member.shutdown();
          return null;
        });
      }
    }).await();
    pool = TestPostgres.newPool(vertx);
    edge = new HttpEdge(vertx, new EdgeSettings(1024 * 1024, TrustedProxies.of(trustedProxies),
        EdgeSettings.DEFAULT_CORS_PREFIXES));
  }

  /** On a Vert.x of its own, which {@link #close()} closes. */
  public static ModuleServer create() {
    return create(List.of());
  }

  public static ModuleServer create(List<String> trustedProxies) {
    return new ModuleServer(Vertx.vertx(), trustedProxies);
  }

  /** On {@code vertx}: it ends when {@code vertx} closes. */
  public static ModuleServer on(Vertx vertx) {
    return on(vertx, List.of());
  }

  public static ModuleServer on(Vertx vertx, List<String> trustedProxies) {
    return new ModuleServer(vertx, trustedProxies);
  }

  /** Applies the module's migrations, deploys its verticle with {@code config}, seals the edge and listens. */
  public <C> ModuleServer start(GatehouseModule<C> module, ConfigNode config, Clock clock) throws Exception {
    return start(module, config, clock, edge -> { });
  }

  /** Like {@link #start(GatehouseModule, ConfigNode, Clock)}; {@code extraRoutes} runs before the edge is sealed. */
  public <C> ModuleServer start(GatehouseModule<C> module, ConfigNode config, Clock clock, Consumer<HttpEdge> extraRoutes)
      throws Exception {
    // Modules build absolute URLs on the public base URL, so reserve the port before configuring.
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    NodeSettings bound = new NodeSettings(SERVER_NAME, URI.create("http://127.0.0.1:" + port + "/"));
    C parsed = module.configure(config, bound);
    config.rejectUnknownKeys();
    new Migrator(pool).migrate(Migrator.load(getClass().getClassLoader(), module.name())).await(60, TimeUnit.SECONDS);
    ModuleContext context = new ModuleContext(vertx, pool, edge, hazelcast, ClusterMembers.single("test-node"), bound, clock,
        meters);
    Deployable verticle = module.verticle(parsed, context);
    vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    extraRoutes.accept(edge);
    edge.seal();
    server = vertx.createHttpServer().requestHandler(edge.router()).listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setFollowRedirects(false));
    return this;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The registry the module's meters are in, as {@code /metrics} would serve them. */
  public io.micrometer.core.instrument.MeterRegistry meters() {
    return meters;
  }

  public Pool pool() {
    return pool;
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** A web client aimed at this server (relative paths work). */
  public WebClient client() {
    return client;
  }

  /** Closes its Vert.x, and so everything it started. */
  @Override
  public void close() {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
