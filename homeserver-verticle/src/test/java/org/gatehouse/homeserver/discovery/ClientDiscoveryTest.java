package org.gatehouse.homeserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientAnswer;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientCapabilities;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientRequest;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientVersions;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.homeserver.synapse.SynapseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector's discovery questions against a stand-in for Synapse's client listener: what Synapse is sent on the
 * client's behalf, what is kept and for how long, and how its refusals and its absence come back. The same against a
 * real Synapse behind nginx is {@code SynapseDiscoveryTest}.
 */
class ClientDiscoveryTest {
  static final ClientRequest ANONYMOUS = new ClientRequest(null, "203.0.113.7", "Element/1.0", "req-1");
  static final ClientRequest ALICE = new ClientRequest("mat_alices_token", "203.0.113.8", "Element/1.0", "req-2");
  static final String SYNAPSE_CACHE = "public, max-age=600, s-maxage=3600, stale-while-revalidate=600";

  Vertx vertx;
  Context context;
  HttpServer server;
  int port;
  volatile Consumer<HttpServerRequest> answer;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  MutableClock clock;
  SynapseClient synapse;
  ClientDiscovery discovery;

  record Seen(String path, MultiMap headers) {
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    answer = request -> {
      boolean withToken = request.getHeader("Authorization") != null;
      if (!withToken) {
        request.response().putHeader("Cache-Control", SYNAPSE_CACHE);
      }
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("versions", List.of("r0.6.1", "v1.15"))
          .put("unstable_features", new JsonObject().put("org.matrix.msc3575", withToken)).encode());
    };
    server = vertx.createHttpServer().requestHandler(request -> {
      seen.add(new Seen(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers())));
      answer.accept(request);
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    port = server.actualPort();
    clock = MutableClock.startingNow();
    synapse = new SynapseClient(vertx, URI.create("http://127.0.0.1:" + port + "/"), "the-shared-secret-never-sent",
        Duration.ofMillis(500), Duration.ofMillis(500),
        new org.gatehouse.common.homeserver.ServiceAdminTokens("the-shared-secret-never-sent", "gatehouse-service"),
        clock);
    discovery = new ClientDiscovery(synapse, Duration.ofSeconds(30), clock, "https");
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await();
  }

  @Test
  void theAnswerWithoutATokenIsKeptForTheConfiguredTimeWithSynapsesCacheControl() throws Exception {
    ClientAnswer first = versions(ANONYMOUS);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.cacheControl()).isEqualTo(SYNAPSE_CACHE);
    assertThat(first.body().getJsonArray("versions").getList()).containsExactly("r0.6.1", "v1.15");
    clock.advance(Duration.ofSeconds(29));
    assertThat(versions(ANONYMOUS)).isEqualTo(first);
    assertThat(seen).hasSize(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(versions(ANONYMOUS)).isEqualTo(first);
    assertThat(seen).as("asked again once the time is up").hasSize(2);
  }

  @Test
  void concurrentClientsWithoutATokenShareOneRequest() throws Exception {
    Promise<Void> release = Promise.promise();
    answer = request -> release.future().onComplete(go -> request.response().end("{\"versions\": [\"v1.15\"]}"));
    List<Future<JsonObject>> all = onContext(() -> Future.succeededFuture(List.of(
        discovery.versions(new ClientVersions(ANONYMOUS)), discovery.versions(new ClientVersions(ANONYMOUS)),
        discovery.versions(new ClientVersions(ANONYMOUS)))));
    context.runOnContext(v -> vertx.setTimer(200, t -> release.complete()));
    for (Future<JsonObject> each : all) {
      assertThat(ClientAnswer.fromJson(each.await(10, TimeUnit.SECONDS)).status()).isEqualTo(200);
    }
    assertThat(seen).hasSize(1);
  }

  @Test
  void aRequestWithATokenIsForwardedEachTimeAsTheClientSentIt() throws Exception {
    ClientAnswer first = versions(ALICE);
    versions(ALICE);
    assertThat(first.body().getJsonObject("unstable_features").getBoolean("org.matrix.msc3575")).isTrue();
    assertThat(first.cacheControl()).isNull();
    assertThat(seen).hasSize(2);
    MultiMap headers = seen.get(0).headers();
    assertThat(seen.get(0).path()).isEqualTo("/_matrix/client/versions");
    // The client's token, never the shared secret; the client's address, scheme, agent and request id.
    assertThat(headers.get("Authorization")).isEqualTo("Bearer mat_alices_token");
    assertThat(headers.get("X-Forwarded-For")).isEqualTo("203.0.113.8");
    assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(headers.get("User-Agent")).isEqualTo("Element/1.0");
    assertThat(headers.get("X-Request-Id")).isEqualTo("req-2");

    ClientAnswer capabilities = ClientAnswer.fromJson(onContext(() ->
        discovery.capabilities(new ClientCapabilities(ALICE))));
    capabilities(ALICE);
    assertThat(capabilities.status()).isEqualTo(200);
    assertThat(seen).hasSize(4);
    assertThat(seen.get(2).path()).isEqualTo("/_matrix/client/v3/capabilities");
    assertThat(seen.get(2).headers().get("Authorization")).isEqualTo("Bearer mat_alices_token");
    // Without a token, nothing is made up.
    versions(ANONYMOUS);
    assertThat(seen.get(4).headers().contains("Authorization")).isFalse();
  }

  @Test
  void synapsesRefusalIsAnAnswerToPassOnAndIsNotKept() throws Exception {
    answer = request -> request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
        .end("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}");
    ClientAnswer refused = capabilities(ALICE);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).isEqualTo(new JsonObject().put("errcode", "M_UNKNOWN_TOKEN")
        .put("error", "Invalid access token passed.").put("soft_logout", false));
    assertThat(versions(ANONYMOUS).status()).isEqualTo(401);
    assertThat(versions(ANONYMOUS).status()).isEqualTo(401);
    assertThat(seen).as("a refusal is asked about again").hasSize(3);
  }

  @Test
  void noAnswerFromSynapseIsA503WithARetryDelay() throws Exception {
    answer = request -> request.response().setStatusCode(502).end("{\"errcode\":\"M_UNKNOWN\"}");
    assertUnavailable(() -> discovery.versions(new ClientVersions(ANONYMOUS)));
    answer = request -> request.response().setStatusCode(404).end("<html>not Synapse</html>");
    assertUnavailable(() -> discovery.capabilities(new ClientCapabilities(ALICE)));
    answer = request -> { }; // never answers: the request timeout
    assertUnavailable(() -> discovery.versions(new ClientVersions(ALICE)));
    server.close().await(10, TimeUnit.SECONDS);
    assertUnavailable(() -> discovery.versions(new ClientVersions(ANONYMOUS)));
  }

  @Test
  void aKeptAnswerOutlivesSynapseOnlyUntilItsTimeIsUp() throws Exception {
    assertThat(versions(ANONYMOUS).status()).isEqualTo(200);
    server.close().await(10, TimeUnit.SECONDS);
    assertThat(versions(ANONYMOUS).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(31));
    assertUnavailable(() -> discovery.versions(new ClientVersions(ANONYMOUS)));
  }

  @Test
  void aZeroCacheAsksEveryTime() throws Exception {
    discovery = new ClientDiscovery(synapse, Duration.ZERO, clock, "https");
    versions(ANONYMOUS);
    versions(ANONYMOUS);
    assertThat(seen).hasSize(2);
  }

  @Test
  void theClientRequestNeverShowsItsToken() throws Exception {
    assertThat(ALICE.toString()).doesNotContain("mat_alices_token");
    assertThat(ClientRequest.fromJson(ALICE.toJson())).isEqualTo(ALICE);
  }

  private void assertUnavailable(Supplier<Future<JsonObject>> call) throws Exception {
    assertThatThrownBy(() -> onContext(call)).isInstanceOfSatisfying(MatrixError.class, error -> {
      assertThat(error.status()).isEqualTo(503);
      assertThat(error.errcode()).isEqualTo("M_UNKNOWN");
      assertThat(error.retryAfter()).hasValue(ClientDiscovery.RETRY_AFTER);
    });
  }

  private ClientAnswer versions(ClientRequest client) throws Exception {
    return ClientAnswer.fromJson(onContext(() -> discovery.versions(new ClientVersions(client))));
  }

  private ClientAnswer capabilities(ClientRequest client) throws Exception {
    return ClientAnswer.fromJson(onContext(() -> discovery.capabilities(new ClientCapabilities(client))));
  }

  /** Runs {@code call} on the verticle-like context the discovery lives on, and waits for its result. */
  private <T> T onContext(Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(result));
    return result.future().await(10, TimeUnit.SECONDS);
  }
}
