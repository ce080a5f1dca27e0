package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.gatehouse.server.interop.NodeScript;
import org.junit.jupiter.api.Test;

/**
 * Sign in with QR (MSC4108 + the device authorization grant) in the deployment of docs/synapse.md, with
 * matrix-js-sdk on both devices: the SDK finds {@code org.matrix.msc4108} in {@code /versions} (Gatehouse's answer,
 * merged with Synapse's, which advertises it too because of {@code msc4108_delegation_endpoint}), the proxy sends the rendezvous to Gatehouse, the existing device
 * checks at Synapse that the new device ID is free, the person approves on Gatehouse's page (which registers the
 * device at Synapse), and the new device then uses Synapse with its tokens.
 */
class SynapseQrLoginTest extends SignedInBehindSynapse {
  @Override
  String localpart() {
    return "qrperson";
  }

  @Test
  void theNewDeviceIsSignedInAndSyncsAtSynapse() throws Exception {
    JsonObject result = NodeScript.run("qr-login-matrix-js-sdk.mjs", Map.of(
        "GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_USER_ID", userId(),
        "GATEHOUSE_DEVICE_ID", signedIn.deviceId(),
        "GATEHOUSE_ACCESS_TOKEN", signedIn.accessToken(),
        "GATEHOUSE_USERNAME", localpart(),
        "GATEHOUSE_PASSWORD", PASSWORD,
        "GATEHOUSE_SYNC", "1"), Duration.ofSeconds(200)).json();
    String pretty = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(pretty).isTrue();
    JsonObject newDevice = result.getJsonObject("newDevice");
    JsonObject existingDevice = result.getJsonObject("existingDevice");
    // The rendezvous is Gatehouse's, reached through the proxy; the conversation ran to the end on both sides.
    assertThat(result.getJsonObject("qr").getString("rendezvousUrl"))
        .startsWith(deployment.proxyUrl() + "/_matrix/client/unstable/org.matrix.msc4108/rendezvous/");
    assertThat(newDevice.getString("checkCode")).isNotBlank().isEqualTo(existingDevice.getString("checkCode"));
    assertThat(existingDevice.getJsonArray("conversation").getList()).as(pretty).containsExactly(
        "sent m.login.protocols", "received m.login.protocol", "sent m.login.protocol_accepted",
        "received m.login.success", "sent m.login.secrets");
    String negotiated = newDevice.getString("deviceId");
    assertThat(existingDevice.getString("expectedDeviceId")).isEqualTo(negotiated);
    assertThat(existingDevice.getJsonObject("linkPage").getString("outcome")).contains("Device approved");
    // At Synapse: whoami and the device as the new device, and a /sync.
    assertThat(newDevice.getJsonObject("whoami").getString("user_id")).isEqualTo(userId());
    assertThat(newDevice.getJsonObject("whoami").getString("device_id")).isEqualTo(negotiated);
    assertThat(newDevice.getJsonObject("ownDevice").getString("device_id")).isEqualTo(negotiated);
    assertThat(newDevice.getJsonObject("sync").getBoolean("nextBatch")).as(pretty).isTrue();
    // Synapse lists both devices to the existing one, the new one under its client's name.
    HttpResponse<String> devices = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(deployment.proxyUrl() + "/_matrix/client/v3/devices"))
        .header("Authorization", "Bearer " + signedIn.accessToken()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
    JsonArray listed = new JsonObject(devices.body()).getJsonArray("devices");
    assertThat(listed.stream().map(d -> ((JsonObject) d).getString("device_id")))
        .contains(negotiated, signedIn.deviceId());
    assertThat(newDevice.getJsonArray("failures").getList()).isEmpty();
    assertThat(existingDevice.getJsonArray("failures").getList()).isEmpty();
  }
}
