package org.gatehouse.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.common.testing.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The edge as a client sees it: every failure is a Matrix error, CORS, request ids, a clean access log. */
@ExtendWith(VertxExtension.class)
class HttpEdgeTest {
  static WebClient client;
  static int port;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext context) {
    HttpEdge edge = new HttpEdge(vertx, new EdgeSettings(1024, TrustedProxies.of(List.of("127.0.0.1")),
        EdgeSettings.DEFAULT_CORS_PREFIXES));
    edge.router().post("/_matrix/test/echo").handler(ctx -> ctx.json(JsonBodies.object(ctx)));
    edge.router().get("/_matrix/test/echo").handler(ctx -> ctx.json(new JsonObject().put("client",
        HttpEdge.clientAddress(ctx))));
    edge.router().get("/_matrix/test/limited").handler(ctx -> ctx.fail(MatrixError.limitExceeded(Duration.ofMillis(1500))));
    edge.router().get("/_matrix/test/bug").handler(ctx -> {
      throw new IllegalStateException("secret internal detail");
    });
    edge.router().get("/plain").handler(ctx -> ctx.end("plain"));
    edge.router().post("/other/endpoint").handler(ctx -> ctx.end("ok"));
    edge.renderErrorsUnder("/other/", ctx -> ctx.response().setStatusCode(ctx.statusCode())
        .end(new JsonObject().put("error", "other_shape").put("status", ctx.statusCode()).encode()));
    edge.seal();
    vertx.createHttpServer().requestHandler(edge.router()).listen(0, "127.0.0.1")
        .onComplete(context.succeeding(server -> {
          port = server.actualPort();
          client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
          context.completeNow();
        }));
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String body) throws Exception {
    var request = client.request(method, path);
    Future<HttpResponse<Buffer>> response = body == null ? request.send()
        : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
    return response.await(10, TimeUnit.SECONDS);
  }

  private static void assertMatrixError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject().getString("errcode")).isEqualTo(errcode);
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
  }

  @Test
  void unknownPathIs404Unrecognized() throws Exception {
    assertMatrixError(send(HttpMethod.GET, "/_matrix/client/v3/nothing", null), 404, "M_UNRECOGNIZED");
    assertMatrixError(send(HttpMethod.GET, "/elsewhere", null), 404, "M_UNRECOGNIZED");
  }

  @Test
  void clientHittingAPrefixAModuleClaimedGetsThatModulesErrorShape() throws Exception {
    HttpResponse<Buffer> wrongMethod = send(HttpMethod.GET, "/other/endpoint", null);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "other_shape").put("status", 405));
    HttpResponse<Buffer> unknown = send(HttpMethod.GET, "/other/nothing", null);
    assertThat(unknown.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "other_shape").put("status", 404));
    // Elsewhere the Matrix errors stay.
    assertMatrixError(send(HttpMethod.GET, "/otherwise", null), 404, "M_UNRECOGNIZED");
  }

  @Test
  void knownPathWrongMethodIs405Unrecognized() throws Exception {
    assertMatrixError(send(HttpMethod.DELETE, "/_matrix/test/echo", null), 405, "M_UNRECOGNIZED");
  }

  @Test
  void malformedJsonIs400NotJson() throws Exception {
    assertMatrixError(send(HttpMethod.POST, "/_matrix/test/echo", "{\"a\":"), 400, "M_NOT_JSON");
    assertMatrixError(send(HttpMethod.POST, "/_matrix/test/echo", "[1,2]"), 400, "M_NOT_JSON");
    assertMatrixError(send(HttpMethod.POST, "/_matrix/test/echo", null), 400, "M_NOT_JSON");
    HttpResponse<Buffer> ok = send(HttpMethod.POST, "/_matrix/test/echo", "{\"a\":1}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getInteger("a")).isEqualTo(1);
  }

  @Test
  void bodyOverTheLimitIs413TooLarge() throws Exception {
    String big = "{\"a\":\"" + "x".repeat(2000) + "\"}";
    assertMatrixError(send(HttpMethod.POST, "/_matrix/test/echo", big), 413, "M_TOO_LARGE");
  }

  @Test
  void chunkedBodyOverTheLimitIs413Too(Vertx vertx, VertxTestContext context) {
    HttpClient http = vertx.createHttpClient();
    record Answer(int status, Buffer body) {
    }
    // The server answers (and may close) before the client has finished sending: read status and body in the same
    // chain that receives the response, not afterwards, or the body can be gone.
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI("/_matrix/test/echo"))
        .compose(req -> {
          Future<HttpClientResponse> response = req.response();
          req.setChunked(true).putHeader("Content-Type", "application/json");
          for (int i = 0; i < 10; i++) {
            req.write("x".repeat(300));
          }
          req.end();
          return response.compose(r -> r.body().map(body -> new Answer(r.statusCode(), body)));
        })
        .onComplete(context.succeeding(answer -> context.verify(() -> {
          assertThat(answer.status()).isEqualTo(413);
          assertThat(new JsonObject(answer.body()).getString("errcode")).isEqualTo("M_TOO_LARGE");
          context.completeNow();
        })));
  }

  @Test
  void unexpectedFailureIsAPlain500WithoutDetails() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/_matrix/test/bug", null);
    assertMatrixError(response, 500, "M_UNKNOWN");
    assertThat(response.bodyAsString()).doesNotContain("secret internal detail").doesNotContain("Exception");
  }

  @Test
  void rateLimitCarriesRetryAfterHeaderAndField() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/_matrix/test/limited", null);
    assertMatrixError(response, 429, "M_LIMIT_EXCEEDED");
    assertThat(response.bodyAsJsonObject().getLong("retry_after_ms")).isEqualTo(1500L);
    assertThat(response.getHeader("Retry-After")).isEqualTo("2");
  }

  @Test
  void corsOnMatrixPathsIncludingErrorsAndPreflight() throws Exception {
    HttpResponse<Buffer> ok = send(HttpMethod.GET, "/_matrix/test/echo", null);
    assertThat(ok.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    HttpResponse<Buffer> notFound = send(HttpMethod.GET, "/_matrix/client/v3/nothing", null);
    assertThat(notFound.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");

    HttpResponse<Buffer> preflight = client.request(HttpMethod.OPTIONS, "/_matrix/client/v3/anything")
        .putHeader("Origin", "https://app.element.io")
        .putHeader("Access-Control-Request-Method", "PATCH")
        .putHeader("Access-Control-Request-Headers", "authorization, content-type")
        .send().await(10, TimeUnit.SECONDS);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    // MSC4138: PATCH and HEAD beside the methods of the current spec.
    assertThat(preflight.getHeader("Access-Control-Allow-Methods").split(",\\s*"))
        .contains("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    assertThat(preflight.getHeader("Access-Control-Allow-Headers")).contains("Authorization", "Content-Type",
        "X-Requested-With");

    HttpResponse<Buffer> plain = send(HttpMethod.GET, "/plain", null);
    assertThat(plain.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void everyResponseCarriesARequestIdThatAProxyMaySet() throws Exception {
    HttpResponse<Buffer> generated = send(HttpMethod.GET, "/_matrix/test/echo", null);
    assertThat(generated.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
    HttpResponse<Buffer> given = client.get("/_matrix/test/echo").putHeader("X-Request-Id", "proxy-id-12345")
        .send().await(10, TimeUnit.SECONDS);
    assertThat(given.getHeader("X-Request-Id")).isEqualTo("proxy-id-12345");
    HttpResponse<Buffer> hostile = client.get("/_matrix/test/echo").putHeader("X-Request-Id", "bad id\" with spaces")
        .send().await(10, TimeUnit.SECONDS);
    assertThat(hostile.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
  }

  @Test
  void forwardedForIsBelievedFromTrustedProxiesOnly() throws Exception {
    HttpResponse<Buffer> response = client.get("/_matrix/test/echo").putHeader("X-Forwarded-For", "198.51.100.4")
        .send().await(10, TimeUnit.SECONDS);
    assertThat(response.bodyAsJsonObject().getString("client")).isEqualTo("198.51.100.4");
  }

  @Test
  void clientForgingAnEarlierForwardedForLineIsNotBelieved() throws Exception {
    // The client sends its own X-Forwarded-For; the proxy (127.0.0.1 here) appends a second line with the real peer.
    HttpResponse<Buffer> response = client.get("/_matrix/test/echo")
        .putHeader("X-Forwarded-For", List.of("6.6.6.6", "198.51.100.4"))
        .send().await(10, TimeUnit.SECONDS);
    assertThat(response.bodyAsJsonObject().getString("client")).isEqualTo("198.51.100.4");
  }

  @Test
  void accessLogHasOneLinePerRequestWithItsIdAndNoCredentials() throws Exception {
    try (LogCapture log = new LogCapture("gatehouse.access")) {
      HttpResponse<Buffer> response = client.get("/_matrix/test/echo?access_token=syt_leaked_token&limit=5")
          .putHeader("Authorization", "Bearer mat_secret_header_token")
          .send().await(10, TimeUnit.SECONDS);
      String id = response.getHeader("X-Request-Id");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().stream().anyMatch(l -> l.contains(id)));
      List<String> lines = log.lines().stream().filter(l -> l.contains(id)).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0))
          .contains("method=GET", "status=200", "limit=5", "access_token=[redacted]")
          .doesNotContain("syt_leaked_token")
          .doesNotContain("mat_secret_header_token")
          .doesNotContain("Bearer");
    }
  }
}
