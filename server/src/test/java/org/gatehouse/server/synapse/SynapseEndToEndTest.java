package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.interop.LegacyLoginClient;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.testing.NodeProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatehouse as the auth server of a real Synapse (1.163.2, delegating through {@code matrix_authentication_service})
 * behind a real nginx, in the deployment docs/synapse.md describes: clients sign in at Gatehouse and use the Matrix
 * API at Synapse with Gatehouse's tokens, and every account and device change reaches Synapse.
 */
class SynapseEndToEndTest extends BehindSynapse {

  String adminToken;

  @BeforeAll
  void signTheAdministratorIn() throws Exception {
    adminToken = administrator("moderator");
  }

  @Test
  void matrixJsSdkSignsInAtGatehouseAndChatsAtSynapseUntilItSignsOut() {
    deployment.createUser("alice", PASSWORD);
    JsonObject result = NodeScript.run("synapse-matrix-js-sdk.mjs", Map.of("GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_USERNAME", "alice", "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofSeconds(120)).json();
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();
    // Discovery went through Synapse, which serves Gatehouse's document.
    assertThat(result.getJsonObject("discovery").getString("issuer")).as(facts).isEqualTo(deployment.issuer());
    // Synapse knows the user and the device Gatehouse issued the token for, named after the client.
    assertThat(result.getString("user_id")).isEqualTo("@alice:" + SERVER);
    String deviceId = result.getString("device_id");
    assertThat(result.getJsonObject("authorization").getString("requestedDeviceId")).isEqualTo(deviceId);
    assertThat(result.getJsonObject("sync").getBoolean("nextBatch")).isTrue();
    assertThat(result.getString("room_id")).startsWith("!");
    assertThat(result.getString("event_id")).startsWith("$");
    assertThat(result.getJsonObject("messages").getBoolean("readBack")).isTrue();
    assertThat(result.getJsonArray("devices")).contains(new JsonObject().put("device_id", deviceId)
        .put("display_name", "matrix-js-sdk via Synapse"));
    // Refreshed, and the new token works at Synapse.
    assertThat(result.getJsonObject("refresh").getBoolean("rotated")).isTrue();
    assertThat(result.getJsonObject("refresh").getJsonObject("whoami").getInteger("status")).isEqualTo(200);
    // Signed out at Gatehouse: Synapse refuses the token on the very next request, despite its 2-minute cache.
    assertThat(result.getJsonObject("revocation").getJsonObject("whoami").getInteger("status")).as(facts).isEqualTo(401);
    assertThat(result.getJsonObject("revocation").getJsonObject("whoami").getString("errcode"))
        .isEqualTo("M_UNKNOWN_TOKEN");
    System.out.println("synapse-matrix-js-sdk result: " + result.encode());
  }

  @Test
  void aClientThatOnlyKnowsLoginWorksBehindSynapse() {
    deployment.createUser("lena", PASSWORD);
    JsonObject result = NodeScript.run("legacy-login-matrix-js-sdk.mjs", Map.of("GATEHOUSE_BASE_URL",
        deployment.proxyUrl(), "GATEHOUSE_USERNAME", "lena", "GATEHOUSE_PASSWORD", PASSWORD,
        "GATEHOUSE_SYNAPSE", "1"), Duration.ofSeconds(90)).json();
    LegacyLoginClient.assertWorked(result, "@lena:" + SERVER);
    // At Synapse: it synced and chatted, and its device is there with the name it gave.
    assertThat(result.getJsonObject("sync").getBoolean("nextBatch")).isTrue();
    assertThat(result.getJsonObject("sent").getString("eventId")).startsWith("$");
    assertThat(result.getJsonArray("devices")).contains(new JsonObject()
        .put("device_id", result.getJsonObject("login").getString("deviceId"))
        .put("display_name", "matrix-js-sdk via /login"));
  }

  @Test
  void aBotThatLogsInWithAPasswordChatsAtSynapse() {
    deployment.createUser("beepbot", PASSWORD);
    JsonObject result = NodeScript.run("legacy-login-bot-sdk.mjs", Map.of("GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_USERNAME", "beepbot", "GATEHOUSE_PASSWORD", PASSWORD, "GATEHOUSE_SYNAPSE", "1"),
        Duration.ofSeconds(90)).json();
    LegacyLoginClient.assertBotWorked(result, "@beepbot:" + SERVER);
    assertThat(result.getJsonObject("message")).isEqualTo(new JsonObject().put("sender", "@beepbot:" + SERVER)
        .put("body", "beep from a bot that logged in with a password"));
    assertThat(result.getJsonObject("device").getString("display_name")).isEqualTo("a bot via matrix-bot-sdk");
  }

  @Test
  void anSsoLoginOfAClientThatOnlyKnowsLoginSyncsAtSynapse() {
    deployment.createUser("sso-user", PASSWORD);
    JsonObject result = NodeScript.run("browser-legacy-sso.mjs", Map.of("GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_USER", "sso-user", "GATEHOUSE_PASSWORD", PASSWORD, "GATEHOUSE_SYNAPSE", "1"),
        Duration.ofSeconds(120)).json();
    LegacyLoginClient.assertSsoWorked(result, "@sso-user:" + SERVER);
    assertThat(result.getJsonObject("sync").getBoolean("nextBatch")).isTrue();
  }

  @Test
  void aDeactivatedAccountIsGoneInSynapse() throws Exception {
    deployment.createUser("carol", PASSWORD);
    String token = oauth.signIn("carol", PASSWORD).accessToken();
    assertThat(send("GET", deployment.proxyUrl() + "/_matrix/client/v3/account/whoami", token, null).statusCode())
        .isEqualTo(200);
    assertThat(queryUser("carol").getBoolean("is_deactivated")).isFalse();
    HttpResponse<String> deactivated = send("POST", deployment.proxyUrl() + "/_gatehouse/admin/v1/users/"
        + enc("@carol:" + SERVER) + "/deactivate", adminToken, "{}");
    assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(200);
    // Its device went before the answer, so Synapse refuses the token at once.
    HttpResponse<String> whoami = send("GET", deployment.proxyUrl() + "/_matrix/client/v3/account/whoami", token, null);
    assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(401);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(queryUser("carol").getBoolean("is_deactivated")).isTrue());
  }

  @Test
  void synapseAwayDuringASignInGivesAClearErrorAndNoSessionThenEverythingCatchesUp() throws Exception {
    deployment.createUser("dave", PASSWORD);
    OAuthTestClient.Tokens before = oauth.signIn("dave", PASSWORD);
    OAuthTestClient.Authorization code = oauth.authorize(oauth.registerClient(), "dave", PASSWORD, "DAVENEWDEVICE", "");
    deployment.stack().stopSynapse();
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> refused;
    try {
      refused = oauth.exchangeResponse(code, code.redirectUri(), code.verifier());
      // Signing out while Synapse is away is answered; Synapse is told later, from the outbox.
      assertThat(send("POST", deployment.proxyUrl() + "/oauth2/revoke", null, "token=" + before.accessToken()
          + "&client_id=" + before.clientId(), "application/x-www-form-urlencoded").statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> metric("gatehouse_homeserver_outbox_pending") >= 1);
    } finally {
      deployment.stack().startSynapse();
    }
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(503);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("temporarily_unavailable");
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    JsonObject sessions = (JsonObject) deployment.gatehouse().node(0).vertx().eventBus().request(
        AuthAddresses.SESSIONS_LIST, new JsonObject().put("user_id", "@dave:" + SERVER)).await(10, TimeUnit.SECONDS).body();
    assertThat(sessions.getJsonArray("sessions")).as("no session left by the refused exchange").isEmpty();

    await().atMost(Duration.ofSeconds(30)).until(() -> metric("gatehouse_homeserver_outbox_pending") == 0);
    // The same code works now, and Synapse's devices are Gatehouse's: the new one, not the signed-out one.
    OAuthTestClient.Tokens after = oauth.exchange(code);
    HttpResponse<String> devices = send("GET", deployment.proxyUrl() + "/_matrix/client/v3/devices", after.accessToken(),
        null);
    assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
    JsonArray listed = new JsonObject(devices.body()).getJsonArray("devices");
    assertThat(listed.stream().map(d -> ((JsonObject) d).getString("device_id")).toList())
        .containsExactly("DAVENEWDEVICE");
  }

  @Test
  void anAccountAddedOnTheCommandLineIsProvisionedInSynapseFirst(@TempDir Path work) throws Exception {
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(work.resolve("pw"), PASSWORD + "\n");
    Map<String, String> env = Map.of("GATEHOUSE_DATABASE__URL", deployment.gatehouse().databaseUrl(),
        "GATEHOUSE_SERVER_NAME", SERVER,
        "GATEHOUSE_HOMESERVER__ENDPOINT", deployment.synapseUrl() + "/",
        "GATEHOUSE_HOMESERVER__SECRET", deployment.sharedSecret());
    NodeProcess add = NodeProcess.start(work, env, "user", "add", "erin", "--password-file", "pw");
    assertThat(add.awaitExit(Duration.ofSeconds(90))).as(String.join("\n", add.stderr())).isZero();
    assertThat(queryUser("erin").getString("user_id")).isEqualTo("@erin:" + SERVER);
    String token = oauth.signIn("erin", PASSWORD).accessToken();
    HttpResponse<String> whoami = send("GET", deployment.proxyUrl() + "/_matrix/client/v3/account/whoami", token, null);
    assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(200);

    // A name Synapse already has (here: made in Synapse alone) is refused, and nothing is written in Gatehouse.
    HttpResponse<String> provisioned = send("POST", deployment.synapseUrl() + "/_synapse/mas/provision_user",
        deployment.sharedSecret(), "{\"localpart\": \"frank\"}");
    assertThat(provisioned.statusCode()).as(provisioned.body()).isEqualTo(201);
    NodeProcess taken = NodeProcess.start(work, env, "user", "add", "frank", "--password-file", "pw");
    assertThat(taken.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
    Thread.sleep(200);
    assertThat(String.join("\n", taken.stderr())).contains("User ID already taken");
    Throwable missing = deployment.gatehouse().node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_GET,
            new JsonObject().put("user_id", "@frank:" + SERVER)).toCompletionStage().toCompletableFuture()
        .handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS);
    assertThat(missing).isNotNull();
  }

  @Test
  void aDisplayNameGivenAtCreationOrChangedLaterIsSynapsesProfile() throws Exception {
    HttpResponse<String> created = send("POST", deployment.proxyUrl() + "/_gatehouse/admin/v1/users", adminToken,
        new JsonObject().put("localpart", "grace").put("password", PASSWORD).put("display_name", "Grace Hopper")
            .encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(displayNameAtSynapse("grace")).isEqualTo("Grace Hopper");
    HttpResponse<String> renamed = send("PUT", deployment.proxyUrl() + "/_gatehouse/admin/v1/users/"
        + enc("@grace:" + SERVER) + "/display_name", adminToken, "{\"display_name\": \"Amazing Grace\"}");
    assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(displayNameAtSynapse("grace")).isEqualTo("Amazing Grace"));
  }

  /** The display name in Synapse's profile, as any client reads it. */
  private String displayNameAtSynapse(String localpart) throws Exception {
    HttpResponse<String> profile = send("GET", deployment.proxyUrl() + "/_matrix/client/v3/profile/"
        + enc("@" + localpart + ":" + SERVER) + "/displayname", adminToken, null);
    assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
    return new JsonObject(profile.body()).getString("displayname");
  }

  private JsonObject queryUser(String localpart) throws Exception {
    HttpResponse<String> answer = send("GET", deployment.synapseUrl() + "/_synapse/mas/query_user?localpart=" + localpart,
        deployment.sharedSecret(), null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  private double metric(String name) throws Exception {
    String text = send("GET", deployment.gatehouse().metricsUrl(0), null, null).body();
    return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
