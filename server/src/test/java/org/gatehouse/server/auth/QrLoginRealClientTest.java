package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign in with QR (MSC4108 + the device authorization grant of MSC4341) with matrix-js-sdk's own classes on both
 * devices against a started node ({@code interop/qr-login-matrix-js-sdk.mjs}): the new device renders the QR code,
 * the existing device, signed in as the user through the real OAuth pages, decodes it and drives the login; the
 * person approves on {@code /link}; the new device ends up signed in as the same user with the device ID that was
 * negotiated over the secure channel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
class QrLoginRealClientTest {
  static final String USER = "qrperson";
  static final String USER_ID = "@" + USER + ":test.local";
  static final String PASSWORD = "correct horse battery staple";
  static final String MSC4108_PATH = "/_matrix/client/unstable/org.matrix.msc4108/rendezvous/";

  TestNodes nodes;
  String baseUrl;
  /** The tests' own Vert.x (for their clients), from the extension, which closes it after the class. */
  Vertx vertx;
  WebClient http;
  OAuthTestClient.Tokens existing;

  @BeforeAll
  void start(Vertx vertx) throws Exception {
    // The rendezvous URL in the QR code and the verification URI are built on public_base_url.
    nodes = TestNodes.startOneAtItsPublicUrl(Map.of());
    baseUrl = nodes.publicUrl();
    nodes.createUser(USER, PASSWORD);
    this.vertx = vertx;
    http = WebClient.create(vertx);
    // The existing device signs in the ordinary way: authorization code + PKCE through the sign-in and consent pages.
    existing = new OAuthTestClient(vertx, baseUrl).signIn(USER, PASSWORD);
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void matrixJsSdkSignsInTheNewDeviceForTheExistingDevicesUser() throws Exception {
    JsonObject result = NodeScript.run("qr-login-matrix-js-sdk.mjs", Map.of(
        "GATEHOUSE_BASE_URL", baseUrl,
        "GATEHOUSE_USER_ID", USER_ID,
        "GATEHOUSE_DEVICE_ID", existing.deviceId(),
        "GATEHOUSE_ACCESS_TOKEN", existing.accessToken(),
        "GATEHOUSE_USERNAME", USER,
        "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofSeconds(200)).json();
    assertThat(result.getBoolean("ok")).as(result.encodePrettily()).isTrue();
    JsonObject newDevice = result.getJsonObject("newDevice");
    JsonObject existingDevice = result.getJsonObject("existingDevice");

    // The QR code: a new device's login code pointing at this node's MSC4108 rendezvous, no server name in it.
    JsonObject qr = result.getJsonObject("qr");
    assertThat(qr.getString("prefix")).isEqualTo("MATRIX");
    assertThat(qr.getString("mode")).isEqualTo("login");
    assertThat(qr.getString("serverName")).isNull();
    assertThat(qr.getString("rendezvousUrl")).startsWith(baseUrl + MSC4108_PATH)
        .isEqualTo(newDevice.getString("rendezvousUrl"));

    // The secure channel: both sides show the same check code; the existing device told the new one its server.
    assertThat(newDevice.getString("checkCode")).isNotBlank().isEqualTo(existingDevice.getString("checkCode"));
    assertThat(newDevice.getString("serverName")).isEqualTo("test.local");
    // The conversation MSC4108 prescribes, in order, seen from each side.
    assertThat(existingDevice.getJsonArray("conversation").getList()).containsExactly(
        "sent m.login.protocols", "received m.login.protocol", "sent m.login.protocol_accepted",
        "received m.login.success", "sent m.login.secrets");
    assertThat(newDevice.getJsonArray("conversation").getList()).containsExactly(
        "received m.login.protocols", "sent m.login.protocol", "received m.login.protocol_accepted",
        "sent m.login.success", "received m.login.secrets");
    assertThat(newDevice.getString("deviceAuthorizationEndpoint")).isEqualTo(baseUrl + "/oauth2/device");

    // The device ID the new device chose and sent is the one the existing device expected (it checked that the ID
    // was free with GET /devices/{id} before accepting) and the one the person saw and approved on /link.
    String negotiated = newDevice.getString("deviceId");
    assertThat(negotiated).isNotBlank().isNotEqualTo(existing.deviceId());
    assertThat(existingDevice.getString("expectedDeviceId")).isEqualTo(negotiated);
    assertThat(existingDevice.getString("verificationUri"))
        .isEqualTo(newDevice.getJsonObject("grant").getString("verification_uri_complete"))
        .startsWith(baseUrl + "/link?code=");
    String confirmation = existingDevice.getJsonObject("linkPage").getString("confirmation");
    assertThat(confirmation).contains("Signed in as " + USER_ID).contains(negotiated);
    assertThat(existingDevice.getJsonObject("linkPage").getString("outcome")).contains("Device approved");

    // The new device's tokens: whoami answers the existing device's user and the negotiated device ID.
    JsonObject existingWhoami = get("/_matrix/client/v3/account/whoami", existing.accessToken()).bodyAsJsonObject();
    assertThat(existingWhoami.getString("user_id")).isEqualTo(USER_ID);
    JsonObject whoami = newDevice.getJsonObject("whoami");
    assertThat(whoami.getString("user_id")).isEqualTo(existingWhoami.getString("user_id"));
    assertThat(whoami.getString("device_id")).isEqualTo(negotiated);
    assertThat(newDevice.getJsonObject("ownDevice").getString("device_id")).isEqualTo(negotiated);
    assertThat(newDevice.getString("scope")).contains("urn:matrix:client:device:" + negotiated);
    assertThat(newDevice.getBoolean("gotRefreshToken")).isTrue();
    assertThat(newDevice.getJsonObject("polls").getInteger("slow_down")).isZero();

    // The user's device list, seen from the existing device, now has the new device.
    HttpResponse<Buffer> device = get("/_matrix/client/v3/devices/" + negotiated, existing.accessToken());
    assertThat(device.statusCode()).as(device.bodyAsString()).isEqualTo(200);
    assertThat(device.bodyAsJsonObject().getString("device_id")).isEqualTo(negotiated);
    JsonArray devices = get("/_matrix/client/v3/devices", existing.accessToken()).bodyAsJsonObject()
        .getJsonArray("devices");
    assertThat(devices.stream().map(d -> ((JsonObject) d).getString("device_id")))
        .contains(negotiated, existing.deviceId());

    // The (stubbed) secrets crossed the channel unchanged; then the new device closed the rendezvous: it is gone.
    JsonObject received = newDevice.getJsonObject("secretsReceived").copy();
    assertThat(received.remove("type")).isEqualTo("m.login.secrets");
    assertThat(received).isEqualTo(existingDevice.getJsonObject("secretsSent"));
    assertThat(newDevice.getInteger("rendezvousAfterClose")).isEqualTo(404);
    assertThat(http.getAbs(qr.getString("rendezvousUrl")).send().await(30, TimeUnit.SECONDS).statusCode())
        .isEqualTo(404);
    assertThat(newDevice.getJsonArray("failures").getList()).isEmpty();
    assertThat(existingDevice.getJsonArray("failures").getList()).isEmpty();
    System.out.println("matrix-js-sdk QR login result: " + result.encode());
  }

  private HttpResponse<Buffer> get(String path, String accessToken) throws Exception {
    return http.getAbs(baseUrl + path).bearerTokenAuthentication(accessToken).send().await(30, TimeUnit.SECONDS);
  }
}
