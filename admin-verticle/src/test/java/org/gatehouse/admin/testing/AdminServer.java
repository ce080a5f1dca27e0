package org.gatehouse.admin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
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

/** The admin module on a real edge, Hazelcast member and database, with {@link FakeAuth} as the auth module. */
public final class AdminServer implements AutoCloseable {
  public static final Instant START = Instant.parse("2026-01-15T10:00:00Z");

  public final FakeAuth auth = new FakeAuth();
  public final MutableClock clock = new MutableClock(START);
  private final ModuleServer server = ModuleServer.create();

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

  @Override
  public void close() {
    server.close();
  }
}
