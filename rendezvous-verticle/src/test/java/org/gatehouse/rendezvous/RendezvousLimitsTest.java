package org.gatehouse.rendezvous;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.gatehouse.rendezvous.MatrixAssertions.assertError;
import static org.gatehouse.rendezvous.MatrixAssertions.assertOk;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gatehouse.rendezvous.http.Msc4108Api;
import org.gatehouse.rendezvous.http.Msc4388Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;

/** Capacity, per-address rate limits (with and without a trusted proxy) and the long-poll bound. */
@ExtendWith(VertxExtension.class)
class RendezvousLimitsTest {
  static final String STABLE = Msc4388Api.STABLE_PREFIX;
  static final JsonObject DATA = new JsonObject().put("data", "offer");

  static Map<String, Object> limits(int maxSessions) {
    return Map.of("max_sessions", maxSessions,
        "long_poll", Map.of("max_waiters", 0),
        "rate_limits", Map.of(
            "create", Map.of("per_second", 1, "burst", 2),
            "access", Map.of("per_second", 1, "burst", 3)));
  }

  static void assertRateLimited(HttpResponse<Buffer> response, long retryAfterMs) {
    assertRateLimited(response, retryAfterMs, retryAfterMs);
  }

  /** 429 with {@code retry_after_ms} in the range and the matching {@code Retry-After} (whole seconds, up). */
  static void assertRateLimited(HttpResponse<Buffer> response, long min, long max) {
    JsonObject body = assertError(response, 429, "M_LIMIT_EXCEEDED");
    long retryAfterMs = body.getLong("retry_after_ms");
    assertThat(retryAfterMs).isBetween(min, max);
    assertThat(response.getHeader("Retry-After")).isEqualTo(Long.toString((retryAfterMs + 999) / 1000));
  }

  /** Behind a trusted proxy (127.0.0.1): the client address is the one in {@code X-Forwarded-For}. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class BehindATrustedProxy {
    TestServer test;

    @BeforeAll
    void start(Vertx vertx) throws Exception {
      test = TestServer.start(vertx, limits(3));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void whenFullCreationIsRefusedUntilASessionEndsAndNoLiveSessionIsEvicted() throws Exception {
      // Both versions share the capacity. Each create from its own address, to stay clear of the rate limit.
      List<String> paths = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        paths.add(STABLE + "/" + assertOk(test.call(POST, STABLE).json(DATA)).getString("id"));
      }
      HttpResponse<Buffer> msc4108 = test.call(POST, Msc4108Api.PREFIX).body("text/plain", "offer");
      assertThat(msc4108.statusCode()).isEqualTo(201);

      test.clock.advance(Duration.ofSeconds(10));
      HttpResponse<Buffer> refused = test.call(POST, STABLE).json(DATA);
      // The first session expires 110 s from now (counted to the end of that second): then a slot frees up.
      assertRateLimited(refused, 110_000, 110_999);
      assertRateLimited(test.call(POST, Msc4108Api.PREFIX).body("text/plain", "offer"), 110_000, 110_999);
      for (String path : paths) {
        assertThat(assertOk(test.call(GET, path).send()).getString("data")).isEqualTo("offer");
      }

      // Deleting one frees its slot at once.
      assertOk(test.call(DELETE, paths.get(0)).send());
      assertOk(test.call(POST, STABLE).json(DATA));
      assertError(test.call(POST, STABLE).json(DATA), 429, "M_LIMIT_EXCEEDED");

      // Expiry frees the others.
      test.clock.advance(Duration.ofSeconds(121));
      for (int i = 0; i < 3; i++) {
        assertOk(test.call(POST, STABLE).json(DATA));
      }
      assertError(test.call(POST, STABLE).json(DATA), 429, "M_LIMIT_EXCEEDED");
      test.clock.advance(Duration.ofSeconds(121));
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void creationIsRateLimitedPerClientAddress() throws Exception {
      String a = TestServer.newAddress();
      List<String> created = new ArrayList<>();
      created.add(assertOk(test.call(POST, STABLE, a).json(DATA)).getString("id"));
      created.add(assertOk(test.call(POST, STABLE, a).json(DATA)).getString("id"));
      assertRateLimited(test.call(POST, STABLE, a).json(DATA), 1000);
      // The MSC4108 create shares the same limit.
      assertRateLimited(test.call(POST, Msc4108Api.PREFIX, a).body("text/plain", "x"), 1000);
      // Another address has its own bucket.
      String b = TestServer.newAddress();
      created.add(assertOk(test.call(POST, STABLE, b).json(DATA)).getString("id"));
      test.clock.advance(Duration.ofSeconds(1));
      for (String id : created) {
        assertOk(test.call(DELETE, STABLE + "/" + id).send());
      }
      assertOk(test.call(POST, STABLE, a).json(DATA));
      test.clock.advance(Duration.ofSeconds(121));
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void readsWritesAndDeletesShareOneRateLimitPerClientAddress() throws Exception {
      JsonObject created = assertOk(test.call(POST, STABLE).json(DATA));
      String path = STABLE + "/" + created.getString("id");
      String a = TestServer.newAddress();
      assertOk(test.call(GET, path, a).send());
      String t1 = assertOk(test.call(PUT, path, a).json(new JsonObject()
          .put("sequence_token", created.getString("sequence_token")).put("data", "answer")))
          .getString("sequence_token");
      assertOk(test.call(GET, path, a).send());
      assertRateLimited(test.call(GET, path, a).send(), 1000);
      assertRateLimited(test.call(PUT, path, a).json(new JsonObject().put("sequence_token", t1).put("data", "x")), 1000);
      assertRateLimited(test.call(DELETE, path, a).send(), 1000);
      assertRateLimited(test.call(GET, Msc4108Api.PREFIX + "/" + created.getString("id"), a).send(), 1000);
      // Nothing refused changed anything; another address still reads.
      assertThat(assertOk(test.call(GET, path).send()).getString("sequence_token")).isEqualTo(t1);
      test.clock.advance(Duration.ofSeconds(1));
      assertOk(test.call(GET, path, a).send());
      assertOk(test.call(DELETE, path).send());
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void pastTheLongPollBoundAPollIsAnsweredAtOnce() throws Exception {
      JsonObject created = assertOk(test.call(POST, STABLE).json(DATA));
      long started = System.nanoTime();
      JsonObject read = assertOk(test.call(GET, STABLE + "/" + created.getString("id"))
          .query("since", created.getString("sequence_token")).query("timeout_ms", "20000").send());
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(read.getString("sequence_token")).isEqualTo(created.getString("sequence_token"));
    }
  }

  /** No trusted proxy: {@code X-Forwarded-For} is ignored, the TCP peer is the client. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithoutATrustedProxy {
    TestServer test;

    @BeforeAll
    void start(Vertx vertx) throws Exception {
      test = TestServer.start(vertx, limits(100), List.of());
    }

    @Test
    void forwardedForIsNotBelievedSoEveryoneOnThePeerAddressSharesTheLimit() throws Exception {
      assertOk(test.call(POST, STABLE, "192.0.2.1").json(DATA));
      assertOk(test.call(POST, STABLE, "192.0.2.2").json(DATA));
      assertRateLimited(test.call(POST, STABLE, "192.0.2.3").json(DATA), 1000);
      assertRateLimited(test.call(POST, STABLE, null).json(DATA), 1000);
    }
  }
}
