package org.gatehouse.rendezvous;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.gatehouse.rendezvous.MatrixAssertions.assertError;
import static org.gatehouse.rendezvous.MatrixAssertions.assertOk;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.gatehouse.rendezvous.http.Msc4108Api;
import org.gatehouse.rendezvous.http.Msc4388Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MSC4388 in {@code open} mode, on both paths: every status code, errcode and header of the wire format. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Msc4388ApiTest {
  static final String STABLE = Msc4388Api.STABLE_PREFIX;
  static final String UNSTABLE = Msc4388Api.UNSTABLE_PREFIX;

  TestServer test;

  @BeforeAll
  void start(Vertx vertx) throws Exception {
    test = TestServer.start(vertx, TestServer.LONG_POLLS);
  }

  JsonObject create(String prefix, String data) throws Exception {
    return assertOk(test.call(POST, prefix).json(new JsonObject().put("data", data)));
  }

  HttpResponse<Buffer> get(String prefix, String id) throws Exception {
    return test.call(GET, prefix + "/" + id).send();
  }

  HttpResponse<Buffer> put(String prefix, String id, String token, String data) throws Exception {
    return test.call(PUT, prefix + "/" + id).json(new JsonObject().put("sequence_token", token).put("data", data));
  }

  @ParameterizedTest
  @ValueSource(strings = {STABLE, UNSTABLE})
  void discoveryInOpenModeSaysAnyoneMayCreate(String prefix) throws Exception {
    HttpResponse<Buffer> response = test.call(GET, prefix).send();
    assertThat(assertOk(response)).isEqualTo(new JsonObject().put("create_available", true));
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
  }

  @ParameterizedTest
  @ValueSource(strings = {STABLE, UNSTABLE})
  void createReadWriteDelete(String prefix) throws Exception {
    JsonObject created = create(prefix, "offer");
    String id = created.getString("id");
    String t0 = created.getString("sequence_token");
    assertThat(id).isNotBlank();
    assertThat(t0).isNotBlank();
    assertThat(created.getLong("expires_in_ms")).isEqualTo(120_000);
    assertThat(created.getLong("expires_ts")).isEqualTo(test.clock.millis() + 120_000);

    JsonObject read = assertOk(get(prefix, id));
    assertThat(read.getString("data")).isEqualTo("offer");
    assertThat(read.getString("sequence_token")).isEqualTo(t0);
    assertThat(read.getLong("expires_in_ms")).isEqualTo(120_000);

    JsonObject written = assertOk(put(prefix, id, t0, "answer"));
    String t1 = written.getString("sequence_token");
    assertThat(written.fieldNames()).containsExactly("sequence_token");
    assertThat(t1).isNotEqualTo(t0);
    read = assertOk(get(prefix, id));
    assertThat(read.getString("data")).isEqualTo("answer");
    assertThat(read.getString("sequence_token")).isEqualTo(t1);

    // The token changes on every write, even when the same data is written again.
    String t2 = assertOk(put(prefix, id, t1, "answer")).getString("sequence_token");
    assertThat(t2).isNotIn(t0, t1);

    HttpResponse<Buffer> deleted = test.call(DELETE, prefix + "/" + id).send();
    assertThat(assertOk(deleted)).isEqualTo(new JsonObject());
    assertError(get(prefix, id), 404, "M_NOT_FOUND");
    assertError(put(prefix, id, t2, "late"), 404, "M_NOT_FOUND");
    assertError(test.call(DELETE, prefix + "/" + id).send(), 404, "M_NOT_FOUND");
  }

  @Test
  void bothPathsServeTheSameSessions() throws Exception {
    JsonObject created = create(STABLE, "x");
    JsonObject read = assertOk(get(UNSTABLE, created.getString("id")));
    assertThat(read.getString("sequence_token")).isEqualTo(created.getString("sequence_token"));
  }

  @ParameterizedTest
  @CsvSource({STABLE + ",M_CONCURRENT_WRITE", UNSTABLE + ",IO_ELEMENT_MSC4388_CONCURRENT_WRITE"})
  void aStaleTokenIsAConflictWithTheErrcodeOfThePath(String prefix, String errcode) throws Exception {
    JsonObject created = create(prefix, "offer");
    String id = created.getString("id");
    String t1 = assertOk(put(prefix, id, created.getString("sequence_token"), "first")).getString("sequence_token");
    assertError(put(prefix, id, "not-a-token", "second"), 409, errcode);
    // The loser's write changed nothing.
    JsonObject read = assertOk(get(prefix, id));
    assertThat(read.getString("data")).isEqualTo("first");
    assertThat(read.getString("sequence_token")).isEqualTo(t1);
  }

  @Test
  void retryingTheLastWriteSucceedsWithTheCurrentToken() throws Exception {
    JsonObject created = create(UNSTABLE, "offer");
    String id = created.getString("id");
    String t0 = created.getString("sequence_token");
    String t1 = assertOk(put(UNSTABLE, id, t0, "answer")).getString("sequence_token");
    // The client lost the answer and sends the same write again.
    assertThat(assertOk(put(UNSTABLE, id, t0, "answer")).getString("sequence_token")).isEqualTo(t1);
    assertThat(assertOk(get(UNSTABLE, id)).getString("sequence_token")).isEqualTo(t1);
    // The previous token with other data is a real conflict.
    assertError(put(UNSTABLE, id, t0, "something else"), 409, "IO_ELEMENT_MSC4388_CONCURRENT_WRITE");
  }

  @ParameterizedTest
  @ValueSource(strings = {STABLE, UNSTABLE})
  void writesWithATransactionIdAsTheLatestMscTextSendsThemWorkTheSame(String prefix) throws Exception {
    JsonObject created = create(prefix, "offer");
    String id = created.getString("id");
    String t0 = created.getString("sequence_token");
    JsonObject body = new JsonObject().put("sequence_token", t0).put("data", "answer");
    String t1 = assertOk(test.call(PUT, prefix + "/" + id + "/txn-1").json(body)).getString("sequence_token");
    assertThat(assertOk(get(prefix, id)).getString("data")).isEqualTo("answer");
    // The same transaction resent after a lost answer gets the current token; a stale write is still a conflict.
    assertThat(assertOk(test.call(PUT, prefix + "/" + id + "/txn-1").json(body)).getString("sequence_token"))
        .isEqualTo(t1);
    assertThat(test.call(PUT, prefix + "/" + id + "/txn-2").json(body.copy().put("data", "other")).statusCode())
        .isEqualTo(409);
    assertError(test.call(PUT, prefix + "/unknown-session/txn-3").json(body), 404, "M_NOT_FOUND");
  }

  @Test
  void payloadsUpTo4096CharactersAreAcceptedAndLongerOnesAreTooLarge() throws Exception {
    // Characters, not bytes: 4096 two-byte and 4096 four-byte (surrogate pair) characters are within the limit.
    String accented = "é".repeat(4096);
    String emoji = "\uD83D\uDE00".repeat(4096);
    JsonObject created = create(STABLE, accented);
    String id = created.getString("id");
    assertThat(assertOk(get(STABLE, id)).getString("data")).isEqualTo(accented);
    String t1 = assertOk(put(STABLE, id, created.getString("sequence_token"), emoji)).getString("sequence_token");
    assertThat(assertOk(get(STABLE, id)).getString("data")).isEqualTo(emoji);

    assertError(test.call(POST, STABLE).json(new JsonObject().put("data", "a".repeat(4097))), 413, "M_TOO_LARGE");
    assertError(put(STABLE, id, t1, "\uD83D\uDE00".repeat(4097)), 413, "M_TOO_LARGE");
    assertThat(assertOk(get(STABLE, id)).getString("data")).isEqualTo(emoji);
  }

  @Test
  void malformedBodiesAreRefused() throws Exception {
    assertError(test.call(POST, STABLE).body("application/json", ""), 400, "M_NOT_JSON");
    assertError(test.call(POST, STABLE).body("application/json", "{nope"), 400, "M_NOT_JSON");
    assertError(test.call(POST, STABLE).body("application/json", "[1]"), 400, "M_NOT_JSON");
    assertError(test.call(POST, STABLE).json(new JsonObject()), 400, "M_MISSING_PARAM");
    assertError(test.call(POST, STABLE).json(new JsonObject().put("data", 5)), 400, "M_BAD_JSON");
    String id = create(STABLE, "x").getString("id");
    assertError(test.call(PUT, STABLE + "/" + id).json(new JsonObject().put("data", "y")), 400, "M_MISSING_PARAM");
    assertError(test.call(PUT, STABLE + "/" + id).json(new JsonObject().put("sequence_token", "t")), 400,
        "M_MISSING_PARAM");
    assertError(test.call(PUT, STABLE + "/" + id).json(new JsonObject().put("sequence_token", 1).put("data", "y")),
        400, "M_BAD_JSON");
    assertError(test.call(PATCH, STABLE + "/" + id).send(), 405, "M_UNRECOGNIZED");
  }

  @ParameterizedTest
  @ValueSource(strings = {STABLE, UNSTABLE})
  void unknownIdsAreNotFound(String prefix) throws Exception {
    assertError(get(prefix, "nonexistent"), 404, "M_NOT_FOUND");
    assertError(put(prefix, "nonexistent", "t", "d"), 404, "M_NOT_FOUND");
    assertError(test.call(DELETE, prefix + "/nonexistent").send(), 404, "M_NOT_FOUND");
  }

  @Test
  void sessionsOfTheOtherVersionAreNotFound() throws Exception {
    String id = create(STABLE, "x").getString("id");
    assertError(test.call(GET, Msc4108Api.PREFIX + "/" + id).send(), 404, "M_NOT_FOUND");
  }

  @Test
  void sessionsExpireAFixedTimeAfterCreationAndWritesDoNotExtendThem() throws Exception {
    JsonObject created = create(STABLE, "x");
    String id = created.getString("id");
    test.clock.advance(Duration.ofSeconds(60));
    JsonObject written = assertOk(put(STABLE, id, created.getString("sequence_token"), "y"));
    JsonObject read = assertOk(get(STABLE, id));
    assertThat(read.getLong("expires_in_ms")).isEqualTo(60_000);
    assertThat(read.getLong("expires_ts")).isEqualTo(created.getLong("expires_ts"));
    test.clock.advance(Duration.ofSeconds(60));
    assertError(get(STABLE, id), 404, "M_NOT_FOUND");
    assertError(put(STABLE, id, written.getString("sequence_token"), "z"), 404, "M_NOT_FOUND");
    assertError(test.call(DELETE, STABLE + "/" + id).send(), 404, "M_NOT_FOUND");
  }

  @ParameterizedTest
  @CsvSource({
      "Sec-Fetch-Dest,document,403", "Sec-Fetch-Dest,iframe,403", "Sec-Fetch-Dest,empty,200",
      "Sec-Fetch-Mode,navigate,403", "Sec-Fetch-Mode,cors,200", "Sec-Fetch-Mode,no-cors,200",
      "Sec-Fetch-User,?1,403",
      "Sec-Fetch-Site,none,403", "Sec-Fetch-Site,cross-site,200", "Sec-Fetch-Site,same-origin,200"})
  void readsThatLookLikeBrowserNavigationAreForbidden(String header, String value, int status) throws Exception {
    String id = create(UNSTABLE, "secret").getString("id");
    HttpResponse<Buffer> response = test.call(GET, UNSTABLE + "/" + id).header(header, value).send();
    if (status == 403) {
      assertError(response, 403, "M_FORBIDDEN");
      assertThat(response.bodyAsString()).doesNotContain("secret");
    } else {
      assertThat(assertOk(response).getString("data")).isEqualTo("secret");
    }
  }

  @Test
  void aBrowserFetchIsAllowed() throws Exception {
    String id = create(STABLE, "x").getString("id");
    HttpResponse<Buffer> response = test.call(GET, STABLE + "/" + id).header("Sec-Fetch-Dest", "empty")
        .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Site", "cross-site").send();
    assertThat(assertOk(response).getString("data")).isEqualTo("x");
  }

  // Long-poll: GET ?since=<token>&timeout_ms=<ms>.

  @Test
  void aLongPollIsAnsweredAsSoonAsTheSessionIsWritten() throws Exception {
    JsonObject created = create(STABLE, "offer");
    String id = created.getString("id");
    String t0 = created.getString("sequence_token");
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> poll = test.call(GET, STABLE + "/" + id).query("since", t0)
        .query("timeout_ms", "10000").sendAsync();
    Thread.sleep(300);
    assertThat(poll.isComplete()).as("the poll waits while nothing changes").isFalse();
    String t1 = assertOk(put(STABLE, id, t0, "answer")).getString("sequence_token");
    JsonObject answered = assertOk(poll.await(10, TimeUnit.SECONDS));
    // Woken by the write, not by the 4 s max_wait (at which the poll would also see the new state).
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(answered.getString("data")).isEqualTo("answer");
    assertThat(answered.getString("sequence_token")).isEqualTo(t1);
  }

  @Test
  void aLongPollThatTimesOutAnswersWithTheUnchangedState() throws Exception {
    JsonObject created = create(UNSTABLE, "offer");
    long started = System.nanoTime();
    JsonObject answered = assertOk(test.call(GET, UNSTABLE + "/" + created.getString("id"))
        .query("since", created.getString("sequence_token")).query("timeout_ms", "500").send());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
    assertThat(answered.getString("data")).isEqualTo("offer");
    assertThat(answered.getString("sequence_token")).isEqualTo(created.getString("sequence_token"));
  }

  @Test
  void aLongPollWaitsAtMostTheConfiguredMaximum() throws Exception {
    JsonObject created = create(STABLE, "offer");
    long started = System.nanoTime();
    assertOk(test.call(GET, STABLE + "/" + created.getString("id")).query("since", created.getString("sequence_token"))
        .query("timeout_ms", "600000").send());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isBetween(Duration.ofMillis(3900), Duration.ofSeconds(15));
  }

  @Test
  void aLongPollOnAStaleTokenIsAnsweredAtOnce() throws Exception {
    JsonObject created = create(STABLE, "offer");
    String id = created.getString("id");
    String t1 = assertOk(put(STABLE, id, created.getString("sequence_token"), "answer")).getString("sequence_token");
    long started = System.nanoTime();
    JsonObject answered = assertOk(test.call(GET, STABLE + "/" + id)
        .query("since", created.getString("sequence_token")).query("timeout_ms", "10000").send());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(answered.getString("sequence_token")).isEqualTo(t1);
  }

  @Test
  void aLongPollOnADeletedSessionIsNotFound() throws Exception {
    JsonObject created = create(STABLE, "offer");
    String id = created.getString("id");
    Future<HttpResponse<Buffer>> poll = test.call(GET, STABLE + "/" + id)
        .query("since", created.getString("sequence_token")).query("timeout_ms", "10000").sendAsync();
    Thread.sleep(300);
    assertOk(test.call(DELETE, STABLE + "/" + id).send());
    assertError(poll.await(10, TimeUnit.SECONDS), 404, "M_NOT_FOUND");
  }

  @Test
  void clientsThatDoNotAskForALongPollAreAnsweredAtOnce() throws Exception {
    JsonObject created = create(STABLE, "offer");
    String id = created.getString("id");
    String t0 = created.getString("sequence_token");
    // A request held by mistake would take the whole 4 s max_wait.
    long started = System.nanoTime();
    assertThat(assertOk(get(STABLE, id)).getString("sequence_token")).isEqualTo(t0);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    // since alone (no timeout) does not wait either.
    started = System.nanoTime();
    assertThat(assertOk(test.call(GET, STABLE + "/" + id).query("since", t0).send()).getString("sequence_token"))
        .isEqualTo(t0);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aMalformedTimeoutIsRefused() throws Exception {
    String id = create(STABLE, "offer").getString("id");
    assertError(test.call(GET, STABLE + "/" + id).query("since", "t").query("timeout_ms", "soon").send(), 400,
        "M_INVALID_PARAM");
  }
}
