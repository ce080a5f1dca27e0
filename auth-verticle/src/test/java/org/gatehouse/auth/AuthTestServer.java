package org.gatehouse.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.testing.ModuleServer;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.OAuthTestClient;

/**
 * The auth module on a real edge, database and Hazelcast member, with the admin module's side played by the
 * test through its contract: the account-status snapshot (empty) and the acknowledged status facts.
 */
public final class AuthTestServer implements AutoCloseable {
  public static final String INTROSPECTION_SECRET = "homeserver-shared-secret";
  public static final String STATIC_CLIENT = "homeserver";
  public static final String STATIC_SECRET = "homeserver-client-secret";

  private final ModuleServer server;
  private final AtomicLong statusVersion = new AtomicLong();
  private final MutableClock clock;

  private AuthTestServer(MutableClock clock, List<String> trustedProxies) {
    this.clock = clock;
    this.server = ModuleServer.create(trustedProxies);
  }

  public static AuthTestServer start() throws Exception {
    return start(Map.of(), MutableClock.startingNow());
  }

  /** Starts with {@code extra} merged into the auth section of the default test configuration. */
  public static AuthTestServer start(Map<String, Object> extra, MutableClock clock) throws Exception {
    return start(extra, clock, List.of());
  }

  /** Like {@link #start(Map, MutableClock)}, believing {@code X-Forwarded-For} from {@code trustedProxies}. */
  public static AuthTestServer start(Map<String, Object> extra, MutableClock clock, List<String> trustedProxies)
      throws Exception {
    AuthTestServer test = new AuthTestServer(clock, trustedProxies);
    test.server.vertx().eventBus().<JsonObject>localConsumer(AdminAddresses.ACCOUNT_STATUS_SNAPSHOT,
        m -> m.reply(new JsonObject().put("accounts", new JsonArray())));
    Map<String, Object> auth = new HashMap<>();
    // Cheap hashing keeps the tests fast; the production cost is tested in PasswordHasherTest.
    auth.put("password_hashing", Map.of("memory_kib", 1024, "iterations", 1, "parallelism", 1));
    auth.put("introspection", Map.of("shared_secret", INTROSPECTION_SECRET));
    auth.put("static_clients", List.of(Map.of("client_id", STATIC_CLIENT, "client_secret", STATIC_SECRET,
        "token_endpoint_auth_method", "client_secret_basic", "may_introspect", true)));
    auth.putAll(extra);
    test.server.start(new AuthModule(), ConfigNode.of(auth), clock);
    return test;
  }

  public ModuleServer server() {
    return server;
  }

  public MutableClock clock() {
    return clock;
  }

  public WebClient client() {
    return server.client();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public OAuthTestClient oauth() {
    return new OAuthTestClient(server.vertx(), server.baseUrl());
  }

  /** Creates an account through the auth module's own contract; returns its user ID. */
  public String createUser(String localpart, String password, boolean admin) throws Exception {
    JsonObject reply = server.vertx().eventBus().<JsonObject>request(AuthAddresses.ACCOUNT_CREATE,
        new JsonObject().put("localpart", localpart).put("password", password).put("admin", admin))
        .await(30, TimeUnit.SECONDS).body();
    return reply.getString("user_id");
  }

  /** Plays the admin module: an acknowledged status change. */
  public void setStatus(String userId, boolean suspended, boolean locked) throws Exception {
    new ClusterBroadcast(server.vertx(), org.gatehouse.common.bus.ClusterMembers.single("test-node"),
        java.time.Duration.ofSeconds(5))
        .publish(AdminAddresses.ACCOUNT_STATUS_CHANGED,
            new AccountStatus(userId, suspended, locked, statusVersion.incrementAndGet()).toJson())
        .await(10, TimeUnit.SECONDS);
  }

  public Clock systemClock() {
    return Clock.systemUTC();
  }

  @Override
  public void close() {
    server.close();
  }
}
