package org.gatehouse.rendezvous;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.OPTIONS;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.gatehouse.rendezvous.MatrixAssertions.assertError;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.gatehouse.rendezvous.http.Msc4108Api;
import org.gatehouse.rendezvous.http.Msc4388Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** MSC4108 (2024): raw bodies, strong ETags, the headers real clients depend on, and the long-poll extension. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Msc4108ApiTest {
  static final String PREFIX = Msc4108Api.PREFIX;

  TestServer test;

  @BeforeAll
  void start(Vertx vertx) throws Exception {
    test = TestServer.start(vertx, TestServer.LONG_POLLS);
  }

  /** Creates a session; returns the response (its body holds the URL). */
  HttpResponse<Buffer> create(String payload) throws Exception {
    HttpResponse<Buffer> response = test.call(POST, PREFIX).body("text/plain", payload);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response;
  }

  /** The path of the session URL a create answered. */
  String path(HttpResponse<Buffer> created) {
    String url = created.bodyAsJsonObject().getString("url");
    assertThat(url).startsWith(test.server.baseUrl() + PREFIX + "/");
    return url.substring(test.server.baseUrl().length());
  }

  HttpResponse<Buffer> put(String path, String etag, String payload) throws Exception {
    TestServer.Call call = test.call(PUT, path);
    if (etag != null) {
      call.header("If-Match", etag);
    }
    return call.body("text/plain", payload);
  }

  static void assertSessionHeaders(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("ETag")).matches("\"[A-Za-z0-9_-]{22}\"");
    assertThat(response.getHeader("Expires")).isNotBlank();
    assertThat(response.getHeader("Last-Modified")).isNotBlank();
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store, no-transform");
    assertThat(response.getHeader("Pragma")).isEqualTo("no-cache");
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(response.getHeader("Access-Control-Expose-Headers")).isEqualTo("ETag");
  }

  static String httpDate(long epochMs) {
    return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH)
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(epochMs));
  }

  @Test
  void createAnswers201WithTheSessionUrlAndItsHeaders() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    assertThat(created.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(created.bodyAsJsonObject().fieldNames()).containsExactly("url");
    assertSessionHeaders(created);
    assertThat(created.getHeader("Content-Length")).isEqualTo(Integer.toString(created.body().length()));
    ZonedDateTime expires = ZonedDateTime.parse(created.getHeader("Expires"), DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(expires.toInstant().getEpochSecond()).isEqualTo(test.clock.instant().plusSeconds(120).getEpochSecond());
    assertThat(created.getHeader("Last-Modified")).isEqualTo(httpDate(test.clock.millis()));
    path(created);
  }

  @Test
  void getServesThePayloadAsBareTextPlainWithTheETagAndAnExplicitLength() throws Exception {
    HttpResponse<Buffer> created = create("offer é");
    HttpResponse<Buffer> read = test.call(GET, path(created)).header("Accept-Encoding", "gzip").send();
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsString()).isEqualTo("offer é");
    // Exactly text/plain: matrix-js-sdk polls forever on "text/plain; charset=utf-8".
    assertThat(read.getHeader("Content-Type")).isEqualTo("text/plain");
    assertThat(read.getHeader("Content-Length")).isEqualTo("8");
    assertThat(read.getHeader("Transfer-Encoding")).isNull();
    assertThat(read.getHeader("Content-Encoding")).isNull();
    assertThat(read.getHeader("ETag")).isEqualTo(created.getHeader("ETag"));
    assertSessionHeaders(read);
  }

  @Test
  void ifNoneMatchTheCurrentETagIsNotModified() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    String etag = created.getHeader("ETag");
    HttpResponse<Buffer> unchanged = test.call(GET, path(created)).header("If-None-Match", etag).send();
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).satisfiesAnyOf(b -> assertThat(b).isNull(), b -> assertThat(b.length()).isZero());
    assertThat(unchanged.getHeader("ETag")).isEqualTo(etag);
    HttpResponse<Buffer> other = test.call(GET, path(created)).header("If-None-Match", "\"something-else\"").send();
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.bodyAsString()).isEqualTo("offer");
  }

  @Test
  void putWithTheCurrentETagIsAcceptedAndRenewsTheETagEveryTime() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    String path = path(created);
    String e0 = created.getHeader("ETag");
    test.clock.advance(Duration.ofSeconds(5));
    HttpResponse<Buffer> written = put(path, e0, "answer");
    assertThat(written.statusCode()).isEqualTo(202);
    assertThat(written.getHeader("Content-Length")).isEqualTo("0");
    assertSessionHeaders(written);
    // Last-Modified moves with the write; Expires does not (writes never extend a session).
    assertThat(written.getHeader("Last-Modified")).isEqualTo(httpDate(test.clock.millis()));
    assertThat(written.getHeader("Last-Modified")).isNotEqualTo(created.getHeader("Last-Modified"));
    assertThat(written.getHeader("Expires")).isEqualTo(created.getHeader("Expires"));
    String e1 = written.getHeader("ETag");
    assertThat(e1).isNotEqualTo(e0);
    // The same payload again still gets a new ETag: it depends on the write, not only on the content.
    String e2 = put(path, e1, "answer").getHeader("ETag");
    assertThat(e2).isNotIn(e0, e1);
    HttpResponse<Buffer> read = test.call(GET, path).send();
    assertThat(read.bodyAsString()).isEqualTo("answer");
    assertThat(read.getHeader("ETag")).isEqualTo(e2);
    assertThat(test.call(GET, path).header("If-None-Match", e1).send().statusCode()).isEqualTo(200);
  }

  @Test
  void putWithAStaleETagIsAPreconditionFailureThatLeavesTheSessionAlone() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    String path = path(created);
    String e1 = put(path, created.getHeader("ETag"), "first").getHeader("ETag");
    HttpResponse<Buffer> stale = put(path, created.getHeader("ETag"), "second");
    assertError(stale, 412, "M_CONCURRENT_WRITE");
    assertThat(stale.bodyAsJsonObject().getString("org.matrix.msc4108.errcode")).isEqualTo("M_CONCURRENT_WRITE");
    assertThat(stale.getHeader("ETag")).isEqualTo(e1);
    assertThat(test.call(GET, path).send().bodyAsString()).isEqualTo("first");
    // A weak tag never passes If-Match.
    assertError(put(path, "W/" + e1, "third"), 412, "M_CONCURRENT_WRITE");
  }

  @Test
  void peerOverwritingWithIfMatchStarIsAPreconditionFailure() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    String path = path(created);
    HttpResponse<Buffer> blind = put(path, "*", "overwritten");
    assertError(blind, 412, "M_CONCURRENT_WRITE");
    assertThat(test.call(GET, path).send().bodyAsString()).isEqualTo("offer");
    assertThat(put(path, created.getHeader("ETag"), "answer").statusCode()).isEqualTo(202);
  }

  @Test
  void putWithoutIfMatchIsAMissingParameter() throws Exception {
    String path = path(create("offer"));
    assertError(put(path, null, "answer"), 400, "M_MISSING_PARAM");
  }

  @Test
  void bodiesMustBeTextPlainWithAContentLength() throws Exception {
    assertError(test.call(POST, PREFIX).body("application/json", "{}"), 400, "M_INVALID_PARAM");
    assertError(test.call(POST, PREFIX).body("text/plain; charset=iso-8859-1", "x"), 400, "M_INVALID_PARAM");
    assertError(test.call(POST, PREFIX).body(null, "x"), 400, "M_MISSING_PARAM");
    assertThat(test.call(POST, PREFIX).body("text/plain; charset=utf-8", "x").statusCode()).isEqualTo(201);
    assertError(test.call(POST, PREFIX).body("text/plain", Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xfe})),
        400, "M_INVALID_PARAM");
    String path = path(create("offer"));
    HttpResponse<Buffer> current = test.call(GET, path).send();
    assertError(test.call(PUT, path).header("If-Match", current.getHeader("ETag")).body("application/json", "{}"),
        400, "M_INVALID_PARAM");

    // Chunked, so without Content-Length.
    HttpClient raw = test.server.vertx().createHttpClient();
    try {
      HttpClientRequest request = raw.request(new RequestOptions().setMethod(POST).setHost("127.0.0.1")
          .setPort(test.server.port()).setURI(PREFIX).putHeader("Content-Type", "text/plain")
          .putHeader("X-Forwarded-For", TestServer.newAddress())).await(10, TimeUnit.SECONDS);
      request.setChunked(true);
      // The body is read in the same callback as the head: it may arrive before a later body() would listen.
      JsonObject answer = request.send(Buffer.buffer("offer"))
          .compose(response -> response.body().map(body -> new JsonObject().put("status", response.statusCode())
              .put("body", new JsonObject(body))))
          .await(10, TimeUnit.SECONDS);
      assertThat(answer.getInteger("status")).isEqualTo(400);
      assertThat(answer.getJsonObject("body").getString("errcode")).isEqualTo("M_MISSING_PARAM");
    } finally {
      raw.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void payloadsOver4096CharactersAreTooLarge() throws Exception {
    String largest = "é".repeat(4096);
    HttpResponse<Buffer> created = create(largest);
    String path = path(created);
    assertThat(test.call(GET, path).send().bodyAsString()).isEqualTo(largest);
    assertError(test.call(POST, PREFIX).body("text/plain", "a".repeat(4097)), 413, "M_TOO_LARGE");
    assertError(put(path, created.getHeader("ETag"), "é".repeat(4097)), 413, "M_TOO_LARGE");
    assertThat(test.call(GET, path).send().getHeader("ETag")).isEqualTo(created.getHeader("ETag"));
  }

  @Test
  void deleteAnswers204AndTheSessionIsGone() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    String path = path(created);
    HttpResponse<Buffer> deleted = test.call(DELETE, path).send();
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertError(test.call(GET, path).send(), 404, "M_NOT_FOUND");
    assertError(put(path, created.getHeader("ETag"), "late"), 404, "M_NOT_FOUND");
    assertError(test.call(DELETE, path).send(), 404, "M_NOT_FOUND");
  }

  @Test
  void unknownExpiredAndOtherVersionSessionsAreNotFound() throws Exception {
    assertError(test.call(GET, PREFIX + "/unknown").send(), 404, "M_NOT_FOUND");
    String path = path(create("offer"));
    test.clock.advance(Duration.ofSeconds(120));
    assertError(test.call(GET, path).send(), 404, "M_NOT_FOUND");
    JsonObject msc4388 = test.call(POST, Msc4388Api.STABLE_PREFIX).json(new JsonObject().put("data", "x"))
        .bodyAsJsonObject();
    assertError(test.call(GET, PREFIX + "/" + msc4388.getString("id")).send(), 404, "M_NOT_FOUND");
    assertError(test.call(DELETE, PREFIX + "/" + msc4388.getString("id")).send(), 404, "M_NOT_FOUND");
    assertThat(test.call(GET, Msc4388Api.STABLE_PREFIX + "/" + msc4388.getString("id")).send().statusCode())
        .isEqualTo(200);
  }

  @Test
  void preflightAllowsTheConditionalHeadersAndExposesTheETag() throws Exception {
    String path = path(create("offer"));
    HttpResponse<Buffer> preflight = test.call(OPTIONS, path).header("Origin", "https://app.element.io")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "content-type, if-match").send();
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(preflight.getHeader("Access-Control-Allow-Headers").split(",\\s*"))
        .contains("Content-Type", "If-Match", "If-None-Match", "Prefer");
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("GET", "PUT", "POST", "DELETE");
    assertThat(preflight.getHeader("Access-Control-Expose-Headers")).isEqualTo("ETag");
  }

  // Long-poll: If-None-Match + Prefer: wait=N.

  @Test
  void aLongPollIsAnsweredAsSoonAsTheSessionIsWritten(Vertx vertx, VertxTestContext context) throws Exception {
    HttpResponse<Buffer> created = create("offer");
    String path = path(created);
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> poll = test.call(GET, path).header("If-None-Match", created.getHeader("ETag"))
        .header("Prefer", "wait=10").sendAsync();
    Promise<HttpResponse<Buffer>> written = Promise.promise();
    vertx.setTimer(300, t -> {
      context.verify(() -> assertThat(poll.isComplete()).as("the poll waits while nothing changes").isFalse());
      test.call(PUT, path).header("If-Match", created.getHeader("ETag")).bodyAsync("text/plain", "answer")
          .onComplete(written);
    });
    Future.all(poll, written.future()).onComplete(context.succeeding(both -> context.verify(() -> {
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      HttpResponse<Buffer> answered = poll.result();
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(answered.bodyAsString()).isEqualTo("answer");
      assertThat(answered.getHeader("ETag")).isEqualTo(written.future().result().getHeader("ETag"));
      assertThat(answered.getHeader("Content-Type")).isEqualTo("text/plain");
      context.completeNow();
    })));
  }

  @Test
  void aLongPollThatTimesOutIsNotModified() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    long started = System.nanoTime();
    HttpResponse<Buffer> answered = test.call(GET, path(created)).header("If-None-Match", created.getHeader("ETag"))
        .header("Prefer", "wait=1").send();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(answered.statusCode()).isEqualTo(304);
    assertThat(answered.getHeader("ETag")).isEqualTo(created.getHeader("ETag"));
  }

  @Test
  void aLongPollOnADeletedSessionIsNotFound(Vertx vertx, VertxTestContext context) throws Exception {
    HttpResponse<Buffer> created = create("offer");
    String path = path(created);
    Checkpoint deleted = context.checkpoint();
    Checkpoint answered = context.checkpoint();
    test.call(GET, path).header("If-None-Match", created.getHeader("ETag")).header("Prefer", "wait=10").sendAsync()
        .onComplete(context.succeeding(poll -> context.verify(() -> {
          assertError(poll, 404, "M_NOT_FOUND");
          answered.flag();
        })));
    vertx.setTimer(300, t -> test.call(DELETE, path).sendAsync()
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(204);
          deleted.flag();
        }))));
  }

  @Test
  void clientsThatDoNotPreferToWaitAreAnsweredAtOnce() throws Exception {
    HttpResponse<Buffer> created = create("offer");
    long started = System.nanoTime();
    assertThat(test.call(GET, path(created)).header("If-None-Match", created.getHeader("ETag")).send().statusCode())
        .isEqualTo(304);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    // Prefer: wait without a matching If-None-Match has nothing to wait for.
    started = System.nanoTime();
    assertThat(test.call(GET, path(created)).header("Prefer", "wait=10").send().statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }
}
