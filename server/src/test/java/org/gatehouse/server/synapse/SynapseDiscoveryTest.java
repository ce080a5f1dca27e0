package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.interop.NodeScript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Discovery stays whole" behind a real Synapse: through the proxy of conf/synapse/nginx.conf, Gatehouse answers
 * {@code /_matrix/client/versions} and {@code /capabilities} with Synapse's answer for the client (asked with the
 * client's token) and its own features merged in, so a client learns both servers' features; with Synapse away it
 * answers {@code 503} with a retry delay, never a 500 and never Gatehouse's answer alone.
 */
class SynapseDiscoveryTest extends BehindSynapse {
  /** Synapse's Cache-Control on its /versions without a token. */
  static final String SYNAPSE_VERSIONS_CACHE = "public, max-age=600, s-maxage=3600, stale-while-revalidate=600";
  /** Kept short, so the outage test sees the kept answer lapse. */
  static final Duration DISCOVERY_CACHE = Duration.ofSeconds(1);
  static final JsonObject MODERATION = new JsonObject().put("suspend", true).put("lock", true);
  /** One of Synapse's own unstable features (simplified sliding sync, on in 1.163.2), which Gatehouse does not name. */
  static final String SYNAPSE_ONLY = "org.matrix.simplified_msc3575";

  String adminToken;
  String aliceToken;

  @Override
  Map<String, Object> gatehouseConfig(SynapseStack stack) {
    return Map.of("homeserver", Map.of("discovery_cache", DISCOVERY_CACHE.toMillis() + "ms"));
  }

  @BeforeAll
  void signPeopleIn() throws Exception {
    adminToken = administrator("moderator");
    deployment.createUser("alice", PASSWORD);
    aliceToken = oauth.signIn("alice", PASSWORD).accessToken();
  }

  @Test
  void versionsAreSynapsesWithGatehousesFeatures() throws Exception {
    JsonObject direct = new JsonObject(get(deployment.synapseUrl() + "/_matrix/client/versions", null).body());
    HttpResponse<String> response = get(deployment.proxyUrl() + "/_matrix/client/versions", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(SynapseStackTest.answeredByGatehouse(response)).isTrue();
    JsonObject versions = new JsonObject(response.body());
    // Synapse's versions, r0 ones included, which Gatehouse alone never lists.
    assertThat(versions.getJsonArray("versions")).isEqualTo(direct.getJsonArray("versions"));
    assertThat(versions.getJsonArray("versions").getList()).contains("r0.6.1", "v1.15");
    JsonObject features = versions.getJsonObject("unstable_features");
    // Gatehouse's own, which Synapse does not advertise.
    assertThat(direct.getJsonObject("unstable_features").getBoolean("uk.timedout.msc4323", false)).isFalse();
    assertThat(features.getBoolean("uk.timedout.msc4323")).isTrue();
    assertThat(features.getBoolean("io.element.msc4388")).isTrue();
    assertThat(features.getBoolean("org.matrix.msc4108")).isTrue();
    // Every one of Synapse's, with its value, except where Gatehouse serves the feature.
    direct.getJsonObject("unstable_features").forEach(feature -> {
      if (!List.of("uk.timedout.msc4323", "io.element.msc4388", "org.matrix.msc4108").contains(feature.getKey())) {
        assertThat(features.getValue(feature.getKey())).as(feature.getKey()).isEqualTo(feature.getValue());
      }
    });
    // Synapse's own, which Gatehouse does not name.
    assertThat(direct.getJsonObject("unstable_features").getBoolean(SYNAPSE_ONLY)).isTrue();
    assertThat(features.getBoolean(SYNAPSE_ONLY)).isTrue();
    // Synapse's Cache-Control for the answer without a token, and the Vary that keeps tokens' answers apart.
    assertThat(response.headers().firstValue("Cache-Control")).hasValue(SYNAPSE_VERSIONS_CACHE);
    assertThat(response.headers().firstValue("Vary")).hasValue("Authorization");

    // With a token: Synapse's answer for that user (not kept, no public caching), merged the same way.
    HttpResponse<String> forAlice = get(deployment.proxyUrl() + "/_matrix/client/versions", aliceToken);
    assertThat(forAlice.statusCode()).as(forAlice.body()).isEqualTo(200);
    // Synapse's own for an answer with a token (no public caching) is passed on, not the public one kept above.
    assertThat(forAlice.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store, must-revalidate");
    JsonObject aliceFeatures = new JsonObject(forAlice.body()).getJsonObject("unstable_features");
    assertThat(aliceFeatures.getBoolean("uk.timedout.msc4323")).isTrue();
    assertThat(aliceFeatures.getBoolean(SYNAPSE_ONLY)).isTrue();

    // Synapse's refusal of a bad token is passed on as it is.
    HttpResponse<String> badToken = get(deployment.proxyUrl() + "/_matrix/client/versions", "mat_not_a_token");
    assertThat(badToken.statusCode()).as(badToken.body()).isEqualTo(401);
    assertThat(new JsonObject(badToken.body()).getString("errcode")).isEqualTo("M_UNKNOWN_TOKEN");
    assertThat(SynapseStackTest.answeredByGatehouse(badToken)).isTrue();
  }

  @Test
  void capabilitiesAreSynapsesWithModerationForAdmins() throws Exception {
    for (String path : List.of("/_matrix/client/v3/capabilities", "/_matrix/client/r0/capabilities")) {
      JsonObject direct = capabilities(get(deployment.synapseUrl() + path, adminToken));
      JsonObject forAdmin = capabilities(get(deployment.proxyUrl() + path, adminToken));
      assertThat(forAdmin.getJsonObject("m.change_password")).as(path).isEqualTo(new JsonObject().put("enabled", false));
      assertThat(forAdmin.getJsonObject("m.room_versions").getString("default")).as(path).isNotEmpty();
      assertThat(forAdmin.getJsonObject("m.account_moderation")).as(path).isEqualTo(MODERATION);
      assertThat(forAdmin.getJsonObject("uk.timedout.msc4323")).as(path).isEqualTo(MODERATION);
      assertThat(withoutModeration(forAdmin)).as(path + ": every one of Synapse's")
          .isEqualTo(withoutModeration(direct));

      JsonObject forAlice = capabilities(get(deployment.proxyUrl() + path, aliceToken));
      assertThat(forAlice.containsKey("m.account_moderation")).as(path).isFalse();
      assertThat(forAlice.containsKey("uk.timedout.msc4323")).as(path).isFalse();
      assertThat(forAlice.getJsonObject("m.change_password")).as(path).isEqualTo(new JsonObject().put("enabled", false));
      assertThat(forAlice.containsKey("m.room_versions")).as(path).isTrue();
    }
    // Synapse's refusals, as they are.
    HttpResponse<String> noToken = get(deployment.proxyUrl() + "/_matrix/client/v3/capabilities", null);
    assertThat(noToken.statusCode()).as(noToken.body()).isEqualTo(401);
    assertThat(new JsonObject(noToken.body()).getString("errcode")).isEqualTo("M_MISSING_TOKEN");
    HttpResponse<String> badToken = get(deployment.proxyUrl() + "/_matrix/client/v3/capabilities", "mat_not_a_token");
    assertThat(badToken.statusCode()).as(badToken.body()).isEqualTo(401);
    assertThat(new JsonObject(badToken.body()).getString("errcode")).isEqualTo("M_UNKNOWN_TOKEN");
  }

  @Test
  void aTokenInTheQueryStringIsSynapsesToJudge() throws Exception {
    // Forwarded, so Synapse refuses a bad one (without a token the answer would be the public 200).
    HttpResponse<String> bad = get(deployment.proxyUrl() + "/_matrix/client/versions?access_token=mat_not_a_token",
        null);
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(401);
    assertThat(new JsonObject(bad.body()).getString("errcode")).isEqualTo("M_UNKNOWN_TOKEN");
    // Synapse takes a good one; Gatehouse never accepts a token there (MSC4126), so an admin gets no moderation.
    HttpResponse<String> admin = get(deployment.proxyUrl() + "/_matrix/client/v3/capabilities?access_token="
        + adminToken, null);
    JsonObject capabilities = capabilities(admin);
    assertThat(capabilities.containsKey("m.room_versions")).isTrue();
    assertThat(capabilities.containsKey("m.account_moderation")).isFalse();
  }

  @Test
  void synapseRecordsTheClientsAddressAndAgentNotGatehouses() throws Exception {
    deployment.createUser("bob", PASSWORD);
    String bobToken = new OAuthTestClient(vertx, deployment.proxyUrl()).signIn("bob", PASSWORD).accessToken();
    // A client at 203.0.113.9 behind a proxy on loopback, which Gatehouse trusts (http.trusted_proxies: 127.0.0.1)
    // like nginx: Gatehouse calls Synapse itself, from 127.0.0.1, and tells it the client's address and agent.
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create(deployment.proxyUrl() + "/_matrix/client/v3/capabilities"))
        .header("Authorization", "Bearer " + bobToken).header("User-Agent", "DiscoveryProbe/1.0")
        .header("X-Forwarded-For", "203.0.113.9").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    HttpResponse<String> devices = get(deployment.synapseUrl() + "/_synapse/admin/v2/users/@bob:" + SERVER
        + "/devices", adminToken);
    assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
    JsonObject device = new JsonObject(devices.body()).getJsonArray("devices").getJsonObject(0);
    assertThat(device.getString("last_seen_user_agent")).as(devices.body()).isEqualTo("DiscoveryProbe/1.0");
    assertThat(device.getString("last_seen_ip")).as(devices.body()).isEqualTo("203.0.113.9");
  }

  @Test
  void matrixJsSdkSeesBothServersFeatures() {
    JsonObject result = NodeScript.run("synapse-discovery-matrix-js-sdk.mjs", Map.of(
        "GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_ADMIN_USER_ID", "@moderator:" + SERVER,
        "GATEHOUSE_ADMIN_TOKEN", adminToken,
        "GATEHOUSE_USER_ID", "@alice:" + SERVER,
        "GATEHOUSE_USER_TOKEN", aliceToken), Duration.ofSeconds(60)).json();
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();
    for (String who : List.of("anonymous", "person", "admin")) {
      JsonObject seen = result.getJsonObject(who);
      JsonObject features = seen.getJsonObject("features");
      assertThat(features.getBoolean("uk.timedout.msc4323")).as(who + ": " + facts).isTrue();
      assertThat(features.getBoolean("io.element.msc4388")).as(who + ": " + facts).isTrue();
      assertThat(features.getBoolean("org.matrix.msc4108")).as(who + ": " + facts).isTrue();
      assertThat(features.getBoolean(SYNAPSE_ONLY)).as(who + ": " + facts).isTrue();
      assertThat(seen.getBoolean("r0")).as(who + ": Synapse's versions").isTrue();
      assertThat(seen.getBoolean("v1_15")).as(who).isTrue();
    }
    assertThat(result.getJsonObject("admin").getJsonArray("capabilities").getList()).as(facts)
        .contains("m.account_moderation", "m.change_password", "m.room_versions");
    assertThat(result.getJsonObject("admin").getJsonObject("moderation")).isEqualTo(MODERATION);
    assertThat(result.getJsonObject("person").getJsonArray("capabilities").getList()).as(facts)
        .contains("m.change_password", "m.room_versions").doesNotContain("m.account_moderation");
    assertThat(result.getJsonObject("person").getValue("moderation")).isNull();
    System.out.println("synapse-discovery-matrix-js-sdk result: " + result.encode());
  }

  @Test
  void withSynapseAwayDiscoveryIsA503WithARetryDelay() throws Exception {
    assertThat(get(deployment.proxyUrl() + "/_matrix/client/versions", null).statusCode()).isEqualTo(200);
    deployment.stack().stopSynapse();
    try {
      // The answer kept for clients without a token lapses after homeserver.discovery_cache.
      Thread.sleep(DISCOVERY_CACHE.toMillis() + 200);
      for (HttpResponse<String> response : List.of(get(deployment.proxyUrl() + "/_matrix/client/versions", null),
          get(deployment.proxyUrl() + "/_matrix/client/versions", aliceToken),
          get(deployment.proxyUrl() + "/_matrix/client/v3/capabilities", adminToken))) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(503);
        assertThat(SynapseStackTest.answeredByGatehouse(response)).isTrue();
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("errcode")).isEqualTo("M_UNKNOWN");
        assertThat(error.getLong("retry_after_ms")).isPositive();
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
      }
    } finally {
      deployment.stack().startSynapse();
    }
    HttpResponse<String> back = get(deployment.proxyUrl() + "/_matrix/client/versions", null);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(new JsonObject(back.body()).getJsonObject("unstable_features").getBoolean("uk.timedout.msc4323"))
        .isTrue();
  }

  private static JsonObject withoutModeration(JsonObject capabilities) {
    JsonObject copy = capabilities.copy();
    copy.remove("m.account_moderation");
    copy.remove("uk.timedout.msc4323");
    return copy;
  }

  private static JsonObject capabilities(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonObject("capabilities");
  }
}
