package org.gatehouse.server.homeserver;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Synapse's {@code /_synapse/mas/*} for the connector's own tests: it keeps users and devices as
 * Synapse would, answers with Synapse's statuses and errcodes, and can be stopped and started on the same port to
 * play an outage. The feature itself is tested against a real Synapse ({@code SynapseEndToEndTest}).
 */
final class FakeSynapse implements AutoCloseable {
  /** One user as Synapse keeps it. */
  static final class User {
    volatile boolean locked;
    volatile boolean deactivated;
    volatile boolean erased;
    volatile String displayName;
    volatile boolean crossSigningResetAllowed;
    volatile boolean suspended;
    volatile String suspendedBy;
    final Map<String, String> devices = new ConcurrentHashMap<>();
  }

  /** One call received. */
  record Call(String operation, JsonObject body) {
  }

  private static final String SUSPEND_PATH = "/_synapse/admin/v1/suspend/";
  private final Vertx vertx = Vertx.vertx();
  private final String secret;
  private final org.gatehouse.common.homeserver.ServiceAdminTokens serviceTokens;
  private final int port;
  final Map<String, User> users = new ConcurrentHashMap<>();
  /** Names an appservice claims exclusively: Synapse answers {@code M_EXCLUSIVE}. */
  final Set<String> exclusive = ConcurrentHashMap.newKeySet();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  private HttpServer server;

  FakeSynapse(String secret, int port) {
    this.secret = secret;
    this.serviceTokens = new org.gatehouse.common.homeserver.ServiceAdminTokens(secret, "gatehouse-service");
    this.port = port;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port + "/";
  }

  FakeSynapse start() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    return this;
  }

  /** Stops listening: connections are refused, as when Synapse is down. */
  void stop() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  List<String> operations() {
    return calls.stream().map(Call::operation).toList();
  }

  List<Call> callsOf(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).toList();
  }

  User user(String localpart) {
    return users.get(localpart);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      String path = request.path();
      if (path.startsWith(SUSPEND_PATH) && "PUT".equals(request.method().name())) {
        suspend(request, java.net.URLDecoder.decode(path.substring(SUSPEND_PATH.length()),
            java.nio.charset.StandardCharsets.UTF_8), buffer.toJsonObject());
        return;
      }
      if (!path.startsWith("/_synapse/mas/")) {
        answer(request, 404, error("M_UNRECOGNIZED", "Unrecognized request"));
        return;
      }
      String auth = request.getHeader("Authorization");
      if (auth == null) {
        answer(request, 401, error("M_MISSING_TOKEN", "Missing access token"));
        return;
      }
      if (!auth.equals("Bearer " + secret)) {
        answer(request, 403, error("M_UNKNOWN", "This endpoint must only be called by MAS"));
        return;
      }
      String operation = path.substring("/_synapse/mas/".length());
      JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
      if ("GET".equals(request.method().name())) {
        body = new JsonObject().put("localpart", request.getParam("localpart"));
      }
      calls.add(new Call(operation, body));
      respond(request, operation, body);
    });
  }

  /**
   * Synapse's admin suspension API. The real one introspects the bearer at Gatehouse and wants the admin scope; this
   * one takes the service account's tokens only, as derived from the shared secret.
   */
  private void suspend(HttpServerRequest request, String userId, JsonObject body) {
    String auth = request.getHeader("Authorization");
    String bearer = auth == null || !auth.startsWith("Bearer ") ? null : auth.substring("Bearer ".length());
    if (serviceTokens.expiryOf(bearer, java.time.Instant.now()).isEmpty()) {
      answer(request, 401, error("M_UNKNOWN_TOKEN", "Token is not active"));
      return;
    }
    User user = users.get(userId.substring(1, userId.indexOf(':')));
    if (user == null) {
      answer(request, 404, error("M_NOT_FOUND", "User not found"));
      return;
    }
    calls.add(new Call("admin_suspend", body.copy().put("user_id", userId)));
    user.suspended = body.getBoolean("suspend");
    user.suspendedBy = bearer;
    answer(request, 200, new JsonObject().put("user_" + userId + "_suspended", user.suspended));
  }

  String suspendedBy(String localpart) {
    return users.get(localpart).suspendedBy;
  }

  private void respond(HttpServerRequest request, String operation, JsonObject body) {
    String localpart = body.getString("localpart");
    User user = localpart == null ? null : users.get(localpart);
    switch (operation) {
      case "is_localpart_available" -> {
        if (exclusive.contains(localpart)) {
          answer(request, 400, error("M_EXCLUSIVE", "This user ID is reserved by an application service."));
        } else if (user != null) {
          answer(request, 400, error("M_USER_IN_USE", "User ID already taken."));
        } else {
          answer(request, 200, new JsonObject());
        }
      }
      case "provision_user" -> {
        if (user == null && exclusive.contains(localpart)) {
          answer(request, 400, error("M_EXCLUSIVE", "This user ID is reserved by an application service."));
          return;
        }
        boolean created = user == null;
        User target = created ? new User() : user;
        if (body.containsKey("locked")) {
          target.locked = body.getBoolean("locked");
        }
        if (body.containsKey("set_displayname")) {
          target.displayName = body.getString("set_displayname");
        } else if (created) {
          target.displayName = localpart;
        }
        users.put(localpart, target);
        answer(request, created ? 201 : 200, new JsonObject());
      }
      case "upsert_device" -> {
        if (user == null) {
          answer(request, 404, error("M_NOT_FOUND", "User not found"));
          return;
        }
        String name = body.getString("display_name");
        if (name != null && name.length() > 100) {
          answer(request, 400, error("M_TOO_LARGE", "Device display name is too long"));
          return;
        }
        boolean created = !user.devices.containsKey(body.getString("device_id"));
        user.devices.put(body.getString("device_id"), name == null ? "" : name);
        answer(request, created ? 201 : 200, new JsonObject());
      }
      case "delete_device" -> {
        if (user == null) {
          answer(request, 404, error("M_NOT_FOUND", "User not found"));
          return;
        }
        user.devices.remove(body.getString("device_id"));
        request.response().setStatusCode(204).end();
      }
      case "update_device_display_name" -> {
        if (user == null || !user.devices.containsKey(body.getString("device_id"))) {
          answer(request, 404, error("M_NOT_FOUND", "Device not found"));
          return;
        }
        user.devices.put(body.getString("device_id"), body.getString("display_name"));
        answer(request, 200, new JsonObject());
      }
      case "sync_devices" -> {
        if (user == null) {
          answer(request, 404, error("M_NOT_FOUND", "User not found"));
          return;
        }
        List<String> wanted = new ArrayList<>();
        body.getJsonArray("devices", new JsonArray()).forEach(d -> wanted.add(String.valueOf(d)));
        user.devices.keySet().removeIf(d -> !wanted.contains(d));
        wanted.forEach(d -> user.devices.putIfAbsent(d, ""));
        answer(request, 200, new JsonObject());
      }
      case "delete_user" -> {
        if (user == null) {
          answer(request, 404, error("M_NOT_FOUND", "User not found"));
          return;
        }
        user.deactivated = true;
        user.erased = body.getBoolean("erase");
        user.devices.clear();
        answer(request, 200, new JsonObject());
      }
      case "set_displayname", "unset_displayname" -> {
        if (user == null) {
          answer(request, 404, error("M_NOT_FOUND", "User not found"));
          return;
        }
        user.displayName = operation.equals("set_displayname") ? body.getString("displayname") : "";
        answer(request, 200, new JsonObject());
      }
      case "allow_cross_signing_reset" -> {
        if (user == null) {
          answer(request, 404, error("M_NOT_FOUND", "User not found"));
          return;
        }
        user.crossSigningResetAllowed = true;
        answer(request, 200, new JsonObject());
      }
      default -> answer(request, 404, error("M_UNRECOGNIZED", "Unrecognized request"));
    }
  }

  private static JsonObject error(String errcode, String error) {
    return new JsonObject().put("errcode", errcode).put("error", error);
  }

  private static void answer(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
