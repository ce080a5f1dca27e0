package org.gatehouse.admin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.admin.AdminModule;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.testing.ModuleServer;
import org.gatehouse.common.testing.MutableClock;

/**
 * The admin module on a real edge, Hazelcast member and database, with {@link FakeAuth} as the auth module, on the
 * test's Vert.x (from {@code VertxExtension}): it ends when that Vert.x closes.
 */
public final class AdminServer {
  public static final Instant START = Instant.parse("2026-01-15T10:00:00Z");
  /** Administrators' tokens: the admin flag and the admin scope. */
  public static final String ROOT = "root-token";
  public static final String MOD = "mod-token";
  /** An administrator's token granted the API scope but not the admin scope, e.g. by a third-party app. */
  public static final String ROOT_WITHOUT_ADMIN_SCOPE = "root-api-only-token";
  /** An administrator's token granted only {@code openid}. */
  public static final String ROOT_OPENID_ONLY = "root-openid-token";
  public static final String ALICE = "alice-token";

  public final FakeAuth auth = new FakeAuth();
  public final MutableClock clock = new MutableClock(START);
  private final ModuleServer server;

  public AdminServer(Vertx vertx) {
    server = ModuleServer.on(vertx);
  }

  /**
   * The accounts every admin API test meets: administrators {@code root} and {@code mod}, {@code alice}, the
   * deactivated {@code gone}, and the tokens {@link #ROOT}, {@link #MOD}, {@link #ROOT_WITHOUT_ADMIN_SCOPE},
   * {@link #ROOT_OPENID_ONLY} and {@link #ALICE}. Call before {@link #start}.
   */
  public AdminServer withAdministratorsAndAlice() {
    auth.user("root", true).user("mod", true).user("alice", false).deactivatedUser("gone");
    auth.token(ROOT, FakeAuth.userId("root"), FakeAuth.API_SCOPE, FakeAuth.ADMIN_SCOPE)
        .token(MOD, FakeAuth.userId("mod"), FakeAuth.API_SCOPE, FakeAuth.ADMIN_SCOPE)
        .token(ROOT_WITHOUT_ADMIN_SCOPE, FakeAuth.userId("root"), FakeAuth.API_SCOPE)
        .token(ROOT_OPENID_ONLY, FakeAuth.userId("root"), "openid")
        .token(ALICE, FakeAuth.userId("alice"), FakeAuth.API_SCOPE);
    return this;
  }

  public AdminServer start() throws Exception {
    auth.register(server.vertx());
    server.start(new AdminModule(), ConfigNode.empty(), clock);
    return this;
  }

  public ModuleServer server() {
    return server;
  }

  /** {@code userId} as a path segment. */
  public static String path(String userId) {
    return URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, String token, String body) {
    return send(method, path, token, body, "application/json");
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, String token, String body, String contentType) {
    HttpRequest<Buffer> request = server.client().request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (body != null && contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    Future<HttpResponse<Buffer>> response = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
    try {
      return response.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  public HttpResponse<Buffer> put(String path, String token, JsonObject body) {
    return send(HttpMethod.PUT, path, token, body.encode());
  }

  public static void assertError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject().getString("errcode")).as(response.bodyAsString()).isEqualTo(errcode);
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
  }

  public static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** The audit-log rows about {@code target}, oldest first. */
  public List<Row> auditRows(String target) {
    try {
      var rows = server.pool().preparedQuery("SELECT * FROM admin.audit_log WHERE target = $1 ORDER BY id")
          .execute(Tuple.of(target)).await(10, TimeUnit.SECONDS);
      List<Row> result = new ArrayList<>();
      rows.forEach(result::add);
      return result;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
