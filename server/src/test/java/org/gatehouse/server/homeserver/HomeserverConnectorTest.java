package org.gatehouse.server.homeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.homeserver.HomeserverCalls;
import org.gatehouse.common.homeserver.ServiceAdminTokens;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.common.testing.TestBrowser;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connector on a full node, against a stand-in for Synapse's internal API: what reaches the homeserver, in
 * which order and before which answer, and what happens while it is away. The same behaviour against a real
 * Synapse behind nginx is {@code SynapseEndToEndTest}.
 */
class HomeserverConnectorTest {
  static FakeSynapse synapse;
  static TestNodes nodes;
  static Vertx vertx;
  static WebClient http;
  /** For the pages: redirects are followed by the test, as a browser would. */
  static WebClient pages;
  static OAuthTestClient oauth;

  static final String AS_TOKEN = "as_token_of_the_connector_test_bridge";
  static Path registrations;

  @BeforeAll
  static void start() throws Exception {
    registrations = Files.createTempDirectory("gatehouse-connector-test");
    Path bridge = registrations.resolve("bridge.yaml");
    Files.writeString(bridge, """
        id: bridge
        url: http://127.0.0.1:9
        as_token: %s
        hs_token: hs_token_of_the_connector_test_bridge
        sender_localpart: bridgebot
        rate_limited: false
        io.element.msc4190: true
        namespaces:
          users:
            - exclusive: true
              regex: '@bridge_.*:test\\.local'
        """.formatted(AS_TOKEN));
    synapse = new FakeSynapse(TestNodes.INTROSPECTION_SECRET, TestNodes.freePorts(1).get(0)).start();
    nodes = TestNodes.startOneAtItsPublicUrl(Map.of("homeserver", Map.of("kind", "synapse",
        "endpoint", synapse.endpoint(), "secret", TestNodes.INTROSPECTION_SECRET, "request_timeout", "1s",
        "outbox", Map.of("poll_interval", "100ms", "initial_backoff", "100ms", "max_backoff", "500ms")),
        "auth", Map.of("self_registration", true, "appservices",
            Map.of("registration_files", List.of(bridge.toString())))));
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    pages = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setFollowRedirects(false));
    oauth = new OAuthTestClient(vertx, nodes.publicUrl());
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
    vertx.close();
    synapse.close();
    try (var files = Files.walk(registrations)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void anAppserviceDeviceIsAtTheHomeserverBeforeThe201AndItsRenameFollows() throws Exception {
    HttpResponse<Buffer> registered = http.postAbs(nodes.publicUrl() + "/_matrix/client/v3/register")
        .bearerTokenAuthentication(AS_TOKEN).sendJsonObject(new JsonObject().put("type", "m.login.application_service")
            .put("username", "bridge_olga").put("inhibit_login", true)).await(30, TimeUnit.SECONDS);
    assertThat(registered.statusCode()).as(registered.bodyAsString()).isEqualTo(200);
    String device = nodes.publicUrl() + "/_matrix/client/v3/devices/OLGADEVICE1?user_id=%40bridge_olga%3Atest.local";
    HttpResponse<Buffer> created = http.putAbs(device).bearerTokenAuthentication(AS_TOKEN)
        .sendJsonObject(new JsonObject().put("display_name", "Olga's bridge")).await(30, TimeUnit.SECONDS);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(synapse.user("bridge_olga").devices).containsEntry("OLGADEVICE1", "Olga's bridge");
    HttpResponse<Buffer> renamed = http.putAbs(device).bearerTokenAuthentication(AS_TOKEN)
        .sendJsonObject(new JsonObject().put("display_name", "Olga's other bridge")).await(30, TimeUnit.SECONDS);
    assertThat(renamed.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(synapse.user("bridge_olga").devices).containsEntry("OLGADEVICE1", "Olga's other bridge"));
  }

  @Test
  void anAccountIsCheckedAndProvisionedAtTheHomeserverBeforeItExistsHere() {
    nodes.createUser("alice", "correct horse battery");
    assertThat(synapse.user("alice")).isNotNull();
    var calls = synapse.calls.stream().filter(c -> "alice".equals(c.body().getString("localpart")))
        .map(FakeSynapse.Call::operation).toList();
    assertThat(calls).startsWith("is_localpart_available", "provision_user");
  }

  @Test
  void aNameTheHomeserverAlreadyHasOrReservesIsRefusedAndNothingIsCreated() throws Exception {
    synapse.users.put("taken", new FakeSynapse.User());
    synapse.exclusive.add("bridge_bob");
    assertThat(createFails("taken")).isEqualTo("M_USER_IN_USE");
    assertThat(createFails("bridge_bob")).isEqualTo("M_EXCLUSIVE");
    for (String name : new String[] {"taken", "bridge_bob"}) {
      var missing = nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_GET,
          new JsonObject().put("user_id", "@" + name + ":test.local"));
      assertThat(missing.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure)
          .get(10, TimeUnit.SECONDS)).isInstanceOf(ReplyException.class);
    }
  }

  @Test
  void signInRegistersTheDeviceWithTheClientsNameBeforeTheTokenIsAnswered() throws Exception {
    nodes.createUser("carol", "correct horse battery");
    String client = oauth.registerClient("Carol's Phone App");
    OAuthTestClient.Tokens tokens = oauth.signIn(client, "carol", "correct horse battery", "CAROLDEVICE1", "");
    // Answered, so already at the homeserver: the client's first request there would otherwise be refused.
    assertThat(synapse.user("carol").devices).containsEntry("CAROLDEVICE1", "Carol's Phone App");
    assertThat(tokens.accessToken()).startsWith("mat_");
  }

  @Test
  void aHomeserverAwayFailsTheCodeExchangeCleanlyAndTheSameCodeWorksOnceItIsBack() throws Exception {
    nodes.createUser("dave", "correct horse battery");
    String client = oauth.registerClient();
    OAuthTestClient.Authorization code = oauth.authorize(client, "dave", "correct horse battery", "DAVEDEVICE01", "");
    synapse.stop();
    HttpResponse<Buffer> refused;
    try {
      refused = oauth.exchangeResponse(code, code.redirectUri(), code.verifier());
    } finally {
      synapse.start();
    }
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("temporarily_unavailable");
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    // No session was left behind by the refused exchange.
    JsonObject sessions = (JsonObject) nodes.node(0).vertx().eventBus().request(AuthAddresses.SESSIONS_LIST,
        new JsonObject().put("user_id", "@dave:test.local")).await(10, TimeUnit.SECONDS).body();
    assertThat(sessions.getJsonArray("sessions")).isEmpty();
    OAuthTestClient.Tokens tokens = oauth.exchange(code);
    assertThat(tokens.accessToken()).isNotNull();
    assertThat(synapse.user("dave").devices).containsKey("DAVEDEVICE01");
  }

  @Test
  void aNewAccountWhileTheHomeserverIsAwayIsRefusedWith503AndNotCreated() throws Exception {
    synapse.stop();
    String errcode;
    try {
      errcode = createFails("erin");
    } finally {
      synapse.start();
    }
    assertThat(errcode).isEqualTo("M_UNKNOWN");
    nodes.createUser("erin", "correct horse battery");
    assertThat(synapse.user("erin")).isNotNull();
  }

  @Test
  void revokingDeletesTheDeviceAtTheHomeserverBeforeTheAnswer() throws Exception {
    nodes.createUser("frank", "correct horse battery");
    OAuthTestClient.Tokens tokens = oauth.signIn(oauth.registerClient(), "frank", "correct horse battery",
        "FRANKDEVICE1", "");
    assertThat(synapse.user("frank").devices).containsKey("FRANKDEVICE1");
    assertThat(revoke(tokens).statusCode()).isEqualTo(200);
    assertThat(synapse.user("frank").devices).doesNotContainKey("FRANKDEVICE1");
  }

  @Test
  void aDeletionTheHomeserverMissedIsQueuedAndDeliveredWhenItIsBack() throws Exception {
    nodes.createUser("grace", "correct horse battery");
    OAuthTestClient.Tokens tokens = oauth.signIn(oauth.registerClient(), "grace", "correct horse battery",
        "GRACEDEVICE1", "");
    synapse.stop();
    try {
      // The logout happened here, so it is answered; the homeserver learns it from the outbox.
      assertThat(revoke(tokens).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> metric("gatehouse_homeserver_outbox_pending") >= 1);
      assertThat(metric("gatehouse_homeserver_outbox_failures_total")).isGreaterThanOrEqualTo(0);
    } finally {
      synapse.start();
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(synapse.user("grace").devices).doesNotContainKey("GRACEDEVICE1"));
    await().atMost(Duration.ofSeconds(20)).until(() -> metric("gatehouse_homeserver_outbox_pending") == 0);
  }

  @Test
  void deactivationDeletesTheUserAtTheHomeserverWithItsData() throws Exception {
    nodes.createUser("heidi", "correct horse battery");
    nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_DEACTIVATE,
        new JsonObject().put("user_id", "@heidi:test.local").put("by", "test")).await(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> synapse.user("heidi").deactivated);
    assertThat(synapse.user("heidi").erased).isTrue();
  }

  @Test
  void reconciliationRestoresWhatTheHomeserverLostAndDropsWhatGatehouseEnded() throws Exception {
    nodes.createUser("ivan", "correct horse battery");
    nodes.createUser("judy", "correct horse battery");
    oauth.signIn(oauth.registerClient(), "ivan", "correct horse battery", "IVANDEVICE01", "");
    // The homeserver came back from an old backup: it lost ivan's device and has one Gatehouse ended, and it lost
    // judy altogether.
    FakeSynapse.User stale = new FakeSynapse.User();
    stale.devices.put("STALEDEVICE1", "");
    synapse.users.put("ivan", stale);
    synapse.users.remove("judy");
    JsonObject reply = (JsonObject) nodes.node(0).vertx().eventBus().request(HomeserverCalls.Reconcile.ADDRESS,
        new HomeserverCalls.Reconcile("test").toJson()).await(10, TimeUnit.SECONDS).body();
    assertThat(reply.containsKey("queued")).isTrue();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(synapse.user("judy")).isNotNull();
      assertThat(synapse.user("ivan").devices.keySet()).contains("IVANDEVICE01").doesNotContain("STALEDEVICE1");
    });
  }

  @Test
  void lockAndUnlockReachTheHomeserver() throws Exception {
    nodes.createUser("kate", "correct horse battery");
    HttpResponse<Buffer> lock = http.putAbs(nodes.publicUrl() + "/_matrix/client/v1/admin/lock/@kate:test.local")
        .bearerTokenAuthentication(adminToken()).sendJsonObject(new JsonObject().put("locked", true))
        .await(30, TimeUnit.SECONDS);
    assertThat(lock.statusCode()).as(lock.bodyAsString()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> synapse.user("kate").locked);
    http.putAbs(nodes.publicUrl() + "/_matrix/client/v1/admin/lock/@kate:test.local")
        .bearerTokenAuthentication(adminToken()).sendJsonObject(new JsonObject().put("locked", false))
        .await(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> !synapse.user("kate").locked);
  }

  @Test
  void approvingADeviceGrantRegistersTheDeviceBeforeThePageAnswersAndTheExchangeAgain() throws Exception {
    nodes.createUser("leo", "correct horse battery");
    String deviceClient = http.postAbs(nodes.publicUrl() + "/oauth2/registration").sendJsonObject(new JsonObject()
            .put("client_name", "Leo's new laptop").put("client_uri", "https://qr.example.org/")
            .put("token_endpoint_auth_method", "none")
            .put("grant_types", new JsonArray().add("urn:ietf:params:oauth:grant-type:device_code")))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("client_id");
    JsonObject started = http.postAbs(nodes.publicUrl() + "/oauth2/device").sendForm(MultiMap.caseInsensitiveMultiMap()
            .add("client_id", deviceClient).add("scope", "urn:matrix:client:api:* urn:matrix:client:device:LEOLAPTOP01"))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject();
    TestBrowser browser = new TestBrowser(pages, nodes.publicUrl());
    browser.get(started.getString("verification_uri_complete"));
    String login = browser.get(browser.get("/link/confirm").getHeader("Location")).bodyAsString();
    browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(login)).add("next", "/link/confirm")
        .add("username", "leo").add("password", "correct horse battery"));
    String confirm = browser.get("/link/confirm").bodyAsString();
    // Synapse away: the approval is refused plainly and the request stays waiting for a decision.
    synapse.stop();
    HttpResponse<Buffer> refused;
    try {
      refused = browser.post("/link/confirm", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(confirm))
          .add("action", "approve"));
    } finally {
      synapse.start();
    }
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    assertThat(refused.bodyAsString()).contains("Nothing was decided");
    assertThat(synapse.user("leo").devices).doesNotContainKey("LEOLAPTOP01");
    confirm = browser.get("/link/confirm").bodyAsString();
    HttpResponse<Buffer> approved = browser.post("/link/confirm", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", csrf(confirm)).add("action", "approve"));
    assertThat(approved.statusCode()).as(approved.bodyAsString()).isEqualTo(200);
    // Approved, so at the homeserver already: the approving device checks GET /devices/{id} there.
    assertThat(synapse.user("leo").devices).containsEntry("LEOLAPTOP01", "Leo's new laptop");
    int upserts = synapse.callsOf("upsert_device").size();
    HttpResponse<Buffer> tokens = http.postAbs(nodes.publicUrl() + "/oauth2/token").sendForm(MultiMap
            .caseInsensitiveMultiMap().add("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
            .add("device_code", started.getString("device_code")).add("client_id", deviceClient))
        .await(30, TimeUnit.SECONDS);
    assertThat(tokens.statusCode()).as(tokens.bodyAsString()).isEqualTo(200);
    assertThat(synapse.callsOf("upsert_device").size()).isGreaterThan(upserts);
  }

  @Test
  void anAccountMadeOnTheSignUpPageExistsAtTheHomeserverFirst() throws Exception {
    TestBrowser browser = new TestBrowser(pages, nodes.publicUrl());
    String page = browser.get("/register").bodyAsString();
    HttpResponse<Buffer> created = browser.post("/register", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("next", "/account").add("username", "mallory").add("password", "correct horse battery")
        .add("password_confirm", "correct horse battery").add("display_name", "Mallory M."));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(303);
    assertThat(synapse.user("mallory")).isNotNull();
    // The name given at sign-up is the homeserver's display name from the start.
    assertThat(synapse.user("mallory").displayName).isEqualTo("Mallory M.");
    synapse.users.put("nina", new FakeSynapse.User());
    page = browser.get("/register").bodyAsString();
    HttpResponse<Buffer> taken = browser.post("/register", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("next", "/account").add("username", "nina").add("password", "correct horse battery")
        .add("password_confirm", "correct horse battery"));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(taken.bodyAsString()).contains("That username is taken.");
  }

  @Test
  void aDisplayNameGivenOrChangedByAnAdministratorReachesTheHomeserver() throws Exception {
    HttpResponse<Buffer> created = http.postAbs(nodes.publicUrl() + "/_gatehouse/admin/v1/users")
        .bearerTokenAuthentication(adminToken()).sendJsonObject(new JsonObject().put("localpart", "pat")
            .put("password", "correct horse battery").put("display_name", "Pat Doe")).await(30, TimeUnit.SECONDS);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("display_name")).isEqualTo("Pat Doe");
    assertThat(synapse.user("pat").displayName).isEqualTo("Pat Doe");
    String path = nodes.publicUrl() + "/_gatehouse/admin/v1/users/%40pat%3Atest.local/display_name";
    HttpResponse<Buffer> renamed = http.putAbs(path).bearerTokenAuthentication(adminToken())
        .sendJsonObject(new JsonObject().put("display_name", "Pat D.")).await(30, TimeUnit.SECONDS);
    assertThat(renamed.statusCode()).as(renamed.bodyAsString()).isEqualTo(200);
    assertThat(renamed.bodyAsJsonObject().getString("display_name")).isEqualTo("Pat D.");
    await().atMost(Duration.ofSeconds(20)).until(() -> "Pat D.".equals(synapse.user("pat").displayName));
    HttpResponse<Buffer> removed = http.putAbs(path).bearerTokenAuthentication(adminToken())
        .sendJsonObject(new JsonObject().putNull("display_name")).await(30, TimeUnit.SECONDS);
    assertThat(removed.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> "".equals(synapse.user("pat").displayName));
    HttpResponse<Buffer> tooLong = http.putAbs(path).bearerTokenAuthentication(adminToken())
        .sendJsonObject(new JsonObject().put("display_name", "x".repeat(257))).await(30, TimeUnit.SECONDS);
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.bodyAsJsonObject().getString("errcode")).isEqualTo("M_INVALID_PARAM");
  }

  @Test
  void anOperatorCanAskForAReconciliationAndItIsAudited() throws Exception {
    HttpResponse<Buffer> asked = http.postAbs(nodes.publicUrl() + "/_gatehouse/admin/v1/homeserver/reconcile")
        .bearerTokenAuthentication(adminToken()).send().await(30, TimeUnit.SECONDS);
    assertThat(asked.statusCode()).as(asked.bodyAsString()).isEqualTo(200);
    assertThat(asked.bodyAsJsonObject().containsKey("queued")).isTrue();
    JsonObject audit = http.getAbs(nodes.publicUrl() + "/_gatehouse/admin/v1/audit?action=reconcile_homeserver")
        .bearerTokenAuthentication(adminToken()).send().await(30, TimeUnit.SECONDS).bodyAsJsonObject();
    assertThat(audit.getJsonArray("entries")).hasSize(1);
    assertThat(audit.getJsonArray("entries").getJsonObject(0).getString("actor")).isEqualTo("@root:test.local");
  }

  private static String adminToken;

  @Test
  void theServiceAccountIsProvisionedAndItsTokenIsAnAdminsForTheHomeserverOnly() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> synapse.user("gatehouse-service") != null);
    String token = new ServiceAdminTokens(TestNodes.INTROSPECTION_SECRET, "gatehouse-service").mint(Instant.now());
    JsonObject answer = introspectAsHomeserver(token, "access_token");
    assertThat(answer.getBoolean("active")).as(answer.encode()).isTrue();
    assertThat(answer.getString("username")).isEqualTo("gatehouse-service");
    assertThat(answer.getString("scope").split(" ")).contains("urn:synapse:admin:*", "urn:matrix:client:api:*");
    assertThat(answer.containsKey("device_id")).isFalse();
    assertThat(answer.getLong("expires_in")).isBetween(3600L, 7200L);
    // Only as an access token, only minted with the shared secret.
    assertThat(introspectAsHomeserver(token, "refresh_token").getBoolean("active")).isFalse();
    String forged = new ServiceAdminTokens("a secret the homeserver does not share", "gatehouse-service")
        .mint(Instant.now());
    assertThat(introspectAsHomeserver(forged, "access_token").getBoolean("active")).isFalse();
    // It is nobody at Gatehouse itself: its admin API does not take it.
    HttpResponse<Buffer> atGatehouse = http.putAbs(nodes.publicUrl() + "/_matrix/client/v1/admin/suspend/@kate:test.local")
        .bearerTokenAuthentication(token).sendJsonObject(new JsonObject().put("suspended", true))
        .await(30, TimeUnit.SECONDS);
    assertThat(atGatehouse.statusCode()).as(atGatehouse.bodyAsString()).isEqualTo(401);
    assertThat(atGatehouse.bodyAsJsonObject().getString("errcode")).isEqualTo("M_UNKNOWN_TOKEN");
  }

  @Test
  void suspensionIsPushedThroughTheHomeserversAdminApi() throws Exception {
    nodes.createUser("sue", "correct horse battery");
    HttpResponse<Buffer> suspend = http.putAbs(nodes.publicUrl() + "/_matrix/client/v1/admin/suspend/@sue:test.local")
        .bearerTokenAuthentication(adminToken()).sendJsonObject(new JsonObject().put("suspended", true))
        .await(30, TimeUnit.SECONDS);
    assertThat(suspend.statusCode()).as(suspend.bodyAsString()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> synapse.user("sue").suspended);
    assertThat(synapse.suspendedBy("sue")).startsWith(ServiceAdminTokens.PREFIX);
    http.putAbs(nodes.publicUrl() + "/_matrix/client/v1/admin/suspend/@sue:test.local")
        .bearerTokenAuthentication(adminToken()).sendJsonObject(new JsonObject().put("suspended", false))
        .await(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> !synapse.user("sue").suspended);
  }

  private static JsonObject introspectAsHomeserver(String token, String hint) throws Exception {
    HttpResponse<Buffer> response = http.postAbs(nodes.publicUrl() + "/oauth2/introspect")
        .bearerTokenAuthentication(TestNodes.INTROSPECTION_SECRET)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_type_hint", hint))
        .await(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static synchronized String adminToken() throws Exception {
    if (adminToken == null) {
      nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_CREATE, new JsonObject().put("localpart", "root")
          .put("password", "correct horse battery").put("admin", true)).await(30, TimeUnit.SECONDS);
      adminToken = oauth.signIn(oauth.registerClient("Admin console"), "root", "correct horse battery", "ROOTDEVICE01",
          "urn:synapse:admin:*").accessToken();
    }
    return adminToken;
  }

  private static String csrf(String html) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    assertThat(m.find()).as(html).isTrue();
    return m.group(1);
  }

  private static String createFails(String localpart) throws Exception {
    Throwable failure = nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_CREATE,
            new JsonObject().put("localpart", localpart).put("password", "correct horse battery"))
        .toCompletionStage().toCompletableFuture().handle((ok, error) -> error).get(30, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(ReplyException.class);
    return new JsonObject(failure.getMessage()).getString("errcode");
  }

  private static HttpResponse<Buffer> revoke(OAuthTestClient.Tokens tokens) throws Exception {
    return http.postAbs(nodes.publicUrl() + "/oauth2/revoke").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("token", tokens.accessToken()).add("client_id", tokens.clientId())).await(30, TimeUnit.SECONDS);
  }

  private static double metric(String name) throws Exception {
    String text = http.getAbs(nodes.metricsUrl(0)).send().await(10, TimeUnit.SECONDS).bodyAsString();
    return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
