package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.interop.NodeScript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Suspension and locking behind a real Synapse and nginx, with matrix-js-sdk clients
 * ({@code interop/synapse-moderation-matrix-js-sdk.mjs}): an admin suspends and locks through Gatehouse's MSC4323
 * endpoints on the proxy; Synapse enforces the suspension from its own state, which Gatehouse pushes with its
 * service account's admin token, and refuses a locked account's tokens because introspection says they are
 * inactive.
 */
class SynapseModerationTest extends BehindSynapse {

  String admin;

  @BeforeAll
  void signTheAdministratorIn() throws Exception {
    admin = administrator("moderator");
  }

  @Test
  void synapseEnforcesWhatAnAdminDecidesAtGatehouse() throws Exception {
    deployment.createUser("sam", PASSWORD);
    deployment.createUser("lou", PASSWORD);
    OAuthTestClient.Tokens sam = oauth.signIn("sam", PASSWORD);
    OAuthTestClient.Tokens seen = oauth.signIn("lou", PASSWORD);
    OAuthTestClient.Tokens unseen = oauth.signIn("lou", PASSWORD);
    OAuthTestClient.Tokens later = oauth.signIn("lou", PASSWORD);

    JsonObject result = NodeScript.run("synapse-moderation-matrix-js-sdk.mjs", Map.of(
        "GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_ADMIN_TOKEN", admin,
        "GATEHOUSE_SUSPENDED_USER", "@sam:" + SERVER,
        "GATEHOUSE_SUSPENDED_TOKEN", sam.accessToken(),
        "GATEHOUSE_LOCKED_USER", "@lou:" + SERVER,
        "GATEHOUSE_LOCKED_TOKEN_SEEN", seen.accessToken(),
        "GATEHOUSE_LOCKED_TOKEN_UNSEEN", unseen.accessToken(),
        "GATEHOUSE_LOCKED_TOKEN_LATER", later.accessToken()), Duration.ofSeconds(240)).json();
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();

    // Suspended: Synapse refuses sending (and profile changes) but lets the person read.
    assertThat(result.getJsonObject("suspendStatus").getBoolean("suspended")).as(facts).isTrue();
    JsonObject refusedSend = result.getJsonObject("sendWhileSuspended");
    assertThat(refusedSend.getInteger("status")).as(facts).isEqualTo(403);
    assertThat(refusedSend.getString("errcode")).as(facts).isEqualTo("M_USER_SUSPENDED");
    JsonObject reading = result.getJsonObject("whileSuspended");
    assertThat(reading.getInteger("whoami")).as(facts).isEqualTo(200);
    assertThat(reading.getJsonObject("sync").getInteger("status")).as(facts).isEqualTo(200);
    assertThat(reading.getJsonObject("sync").getBoolean("inRoom")).as(facts).isTrue();
    assertThat(reading.getJsonObject("messages").getBoolean("readBack")).as(facts).isTrue();
    assertThat(reading.getJsonObject("setDisplayName").getString("errcode")).as(facts).isEqualTo("M_USER_SUSPENDED");
    // Lifted: sending works again.
    assertThat(result.getJsonObject("sendAfterSuspension").getInteger("status")).as(facts).isEqualTo(200);

    // Locked: a session Synapse had not seen is refused at once, one it had cached once its cache lapsed; the
    // spec's answer behind delegation is a logout (401 M_UNKNOWN_TOKEN), not Gatehouse's own M_USER_LOCKED.
    assertThat(result.getJsonObject("lockedUnseenSession")).as(facts)
        .isEqualTo(new JsonObject().put("status", 401).put("errcode", "M_UNKNOWN_TOKEN"));
    JsonObject cached = result.getJsonObject("lockedSeenSession");
    assertThat(cached.getBoolean("done")).as(facts).isTrue();
    assertThat(cached.getString("errcode")).as(facts).isEqualTo("M_UNKNOWN_TOKEN");
    assertThat(cached.getLong("refusedAfterMs")).as(facts).isLessThan(Duration.ofSeconds(135).toMillis());
    // Unlocked: the account works and kept every device.
    JsonObject unlocked = result.getJsonObject("afterUnlock");
    assertThat(unlocked.getInteger("whoami")).as(facts).isEqualTo(200);
    assertThat(unlocked.getJsonArray("devices")).as(facts)
        .isEqualTo(new JsonArray(List.of(seen.deviceId(), unseen.deviceId(), later.deviceId()).stream().sorted().toList()));
    System.out.println("synapse-moderation result: " + result.encode());
  }

  @Test
  void noOneCanTakeTheServiceAccountsName() throws Exception {
    HttpResponse<String> created = send("POST", deployment.proxyUrl() + "/_gatehouse/admin/v1/users", admin,
        new JsonObject().put("localpart", "gatehouse-service").put("password", PASSWORD).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
    assertThat(new JsonObject(created.body()).getString("errcode")).isEqualTo("M_USER_IN_USE");
    assertThat(new JsonObject(created.body()).getString("error")).contains("service account");
  }
}
