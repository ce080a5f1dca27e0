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
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.gatehouse.rendezvous.http.Msc4108Api;
import org.gatehouse.rendezvous.http.Msc4388Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MSC4388 modes ({@code authenticated}, {@code off}) and turning MSC4108 off. */
@ExtendWith(VertxExtension.class)
class RendezvousModesTest {
  static final JsonObject DATA = new JsonObject().put("data", "offer");

  /** {@code authenticated}: creating and discovery need a valid access token; the rest never does. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Authenticated {
    TestServer test;

    @BeforeAll
    void start(Vertx vertx) throws Exception {
      test = TestServer.start(vertx, Map.of("msc4388", Map.of("mode", "authenticated"), "msc4108", Map.of("enabled", false)));
    }

    HttpResponse<Buffer> as(HttpMethod method, String path, String token, JsonObject body) throws Exception {
      TestServer.Call call = test.call(method, path);
      if (token != null) {
        call.header("Authorization", "Bearer " + token);
      }
      return body == null ? call.send() : call.json(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {Msc4388Api.STABLE_PREFIX, Msc4388Api.UNSTABLE_PREFIX})
    void discoveryAndCreationNeedAValidToken(String prefix) throws Exception {
      for (JsonObject body : new JsonObject[] {null, DATA}) {
        HttpMethod method = body == null ? GET : POST;
        assertError(as(method, prefix, null, body), 401, "M_MISSING_TOKEN");
        assertError(as(method, prefix, "nonsense", body), 401, "M_UNKNOWN_TOKEN");
        assertError(as(method, prefix, "locked", body), 401, "M_USER_LOCKED");
      }
      assertThat(assertOk(as(GET, prefix, "good", null)).getBoolean("create_available")).isTrue();
      // Suspended users may still sign in another device.
      assertThat(assertOk(as(GET, prefix, "suspended", null)).getBoolean("create_available")).isTrue();
      assertThat(assertOk(as(POST, prefix, "suspended", DATA)).getString("id")).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {Msc4388Api.STABLE_PREFIX, Msc4388Api.UNSTABLE_PREFIX})
    void anAppGrantedOnlyOpenidCannotCreateSessions(String prefix) throws Exception {
      for (JsonObject body : new JsonObject[] {null, DATA}) {
        HttpResponse<Buffer> refused = as(body == null ? GET : POST, prefix, "openid-only", body);
        assertError(refused, 401, "M_UNKNOWN_TOKEN");
        assertThat(refused.bodyAsJsonObject().getString("error"))
            .isEqualTo("Token doesn't grant access to the Matrix C-S API");
      }
    }

    @Test
    void tokensInTheQueryStringAreRefused() throws Exception {
      assertError(test.call(POST, Msc4388Api.STABLE_PREFIX).query("access_token", "good").json(DATA), 401,
          "M_MISSING_TOKEN");
    }

    @Test
    void readingWritingAndDeletingNeverNeedAToken() throws Exception {
      JsonObject created = assertOk(as(POST, Msc4388Api.STABLE_PREFIX, "good", DATA));
      String path = Msc4388Api.STABLE_PREFIX + "/" + created.getString("id");
      assertThat(assertOk(as(GET, path, null, null)).getString("data")).isEqualTo("offer");
      assertOk(as(PUT, path, null, new JsonObject().put("sequence_token", created.getString("sequence_token"))
          .put("data", "answer")));
      // Even a bad token does not matter where none is needed.
      assertThat(assertOk(as(GET, path, "nonsense", null)).getString("data")).isEqualTo("answer");
      assertOk(as(DELETE, path, null, null));
    }

    @Test
    void msc4108CanBeTurnedOff() throws Exception {
      assertError(test.call(POST, Msc4108Api.PREFIX).body("text/plain", "x"), 404, "M_UNRECOGNIZED");
      assertError(test.call(GET, Msc4108Api.PREFIX + "/anything").send(), 404, "M_UNRECOGNIZED");
    }
  }

  /** {@code off}: no MSC4388 endpoint exists; MSC4108 is unaffected. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Off {
    TestServer test;

    @BeforeAll
    void start(Vertx vertx) throws Exception {
      test = TestServer.start(vertx, Map.of("msc4388", Map.of("mode", "off")));
    }

    @ParameterizedTest
    @ValueSource(strings = {Msc4388Api.STABLE_PREFIX, Msc4388Api.UNSTABLE_PREFIX})
    void everyMsc4388EndpointIsUnrecognized(String prefix) throws Exception {
      assertError(test.call(GET, prefix).send(), 404, "M_UNRECOGNIZED");
      assertError(test.call(POST, prefix).json(DATA), 404, "M_UNRECOGNIZED");
      assertError(test.call(GET, prefix + "/id").send(), 404, "M_UNRECOGNIZED");
      assertError(test.call(PUT, prefix + "/id").json(new JsonObject().put("sequence_token", "t").put("data", "d")),
          404, "M_UNRECOGNIZED");
      assertError(test.call(DELETE, prefix + "/id").send(), 404, "M_UNRECOGNIZED");
    }

    @Test
    void msc4108StillWorks() throws Exception {
      assertThat(test.call(POST, Msc4108Api.PREFIX).body("text/plain", "x").statusCode()).isEqualTo(201);
    }
  }

  @Test
  void versionsAdvertiseWhatIsEnabled() {
    RendezvousModule module = new RendezvousModule();
    assertThat(module.unstableFeatures(RendezvousConfig.DEFAULTS))
        .containsEntry("org.matrix.msc4108", true).containsEntry("io.element.msc4388", true);
    RendezvousConfig neither = new RendezvousConfig(RendezvousConfig.Msc4388Mode.OFF, false,
        RendezvousConfig.DEFAULTS.sessionLifetime(), 4096, 10, 1, RendezvousConfig.DEFAULTS.longPollMaxWait(), 10,
        RendezvousConfig.DEFAULTS.createLimit(), RendezvousConfig.DEFAULTS.accessLimit(), 0);
    assertThat(module.unstableFeatures(neither))
        .containsEntry("org.matrix.msc4108", false).containsEntry("io.element.msc4388", false);
  }
}
