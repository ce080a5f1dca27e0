package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.interop.NodeScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Resetting cross-signing (MSC4312) behind Synapse with matrix-js-sdk's Rust crypto
 * ({@code interop/synapse-cross-signing-reset.mjs}): Synapse sends the client to Gatehouse's account page, the
 * person's approval there reaches Synapse ({@code allow_cross_signing_reset}), and only then does Synapse take the
 * new keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SynapseCrossSigningResetTest {
  static final String USER = "erin";
  static final String PASSWORD = "correct horse battery staple";

  SynapseDeployment deployment;
  Vertx vertx;
  OAuthTestClient.Tokens tokens;

  @BeforeAll
  void start() throws Exception {
    deployment = SynapseDeployment.start();
    deployment.createUser(USER, PASSWORD);
    vertx = Vertx.vertx();
    tokens = new OAuthTestClient(vertx, deployment.proxyUrl()).signIn(USER, PASSWORD);
  }

  @AfterAll
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void synapseTakesTheNewKeysOnlyAfterThePersonApprovedAtGatehouse() {
    JsonObject result = NodeScript.run("synapse-cross-signing-reset.mjs", Map.of(
        "GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_USER_ID", "@" + USER + ":" + SynapseDeployment.SERVER_NAME,
        "GATEHOUSE_DEVICE_ID", tokens.deviceId(),
        "GATEHOUSE_ACCESS_TOKEN", tokens.accessToken(),
        "GATEHOUSE_USERNAME", USER,
        "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofSeconds(120)).json();
    String pretty = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(pretty).isTrue();
    assertThat(result.getJsonObject("bootstrap").getBoolean("uploaded")).as(pretty).isTrue();
    // Without an approval Synapse refuses, naming Gatehouse's account page as the stage to complete.
    JsonObject refused = result.getJsonObject("withoutApproval");
    assertThat(refused.getString("outcome")).as(pretty).isEqualTo("refused 401");
    assertThat(refused.getString("url")).as(pretty)
        .isEqualTo(deployment.proxyUrl() + "/account?action=org.matrix.cross_signing_reset");
    // With it, the same upload goes through and the identity is new.
    JsonObject approved = result.getJsonObject("withApproval");
    assertThat(approved.getString("firstTry")).as(pretty).isEqualTo("refused 401");
    assertThat(approved.getJsonObject("page").getString("text")).as(pretty).contains("Reset approved");
    assertThat(approved.getString("retry")).as(pretty).isEqualTo("uploaded");
    assertThat(result.getString("masterKeyAfter")).isNotEqualTo(result.getString("masterKeyBefore"));
    System.out.println("synapse-cross-signing-reset result: " + result.encode());
  }
}
