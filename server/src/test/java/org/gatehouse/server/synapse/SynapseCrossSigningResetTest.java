package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.gatehouse.server.interop.NodeScript;
import org.junit.jupiter.api.Test;

/**
 * Resetting cross-signing (MSC4312) behind Synapse with matrix-js-sdk's Rust crypto
 * ({@code interop/synapse-cross-signing-reset.mjs}): Synapse sends the client to Gatehouse's account page, the
 * person's approval there reaches Synapse ({@code allow_cross_signing_reset}), and only then does Synapse take the
 * new keys.
 */
class SynapseCrossSigningResetTest extends SignedInBehindSynapse {
  @Override
  String localpart() {
    return "erin";
  }

  @Test
  void synapseTakesTheNewKeysOnlyAfterThePersonApprovedAtGatehouse() {
    JsonObject result = NodeScript.run("synapse-cross-signing-reset.mjs", Map.of(
        "GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_USER_ID", userId(),
        "GATEHOUSE_DEVICE_ID", signedIn.deviceId(),
        "GATEHOUSE_ACCESS_TOKEN", signedIn.accessToken(),
        "GATEHOUSE_USERNAME", localpart(),
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
