package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The device authorization grant driven by a standard RFC 8628 client library, openid-client 6, with its own
 * polling and its strict checks ({@code interop/device-grant-oauth-client.mjs}): registration, start, the person
 * typing the user code on {@code /link} while the library is told {@code authorization_pending}, then tokens (or
 * {@code access_denied} when the person denies).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
class DeviceGrantRealClientTest {
  static final String USER = "deviceperson";
  static final String USER_ID = "@" + USER + ":test.local";
  static final String PASSWORD = "correct horse battery staple";

  TestNodes nodes;
  String baseUrl;
  /** The tests' own Vert.x (for their clients), from the extension, which closes it after the class. */
  Vertx vertx;

  @BeforeAll
  void start(Vertx vertx) throws Exception {
    // The issuer and the verification URI are built on public_base_url; openid-client compares the issuer exactly.
    nodes = TestNodes.startOneAtItsPublicUrl(Map.of());
    baseUrl = nodes.publicUrl();
    nodes.createUser(USER, PASSWORD);
    this.vertx = vertx;
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void openidClientPollsUntilTheUserApprovesAndSurfacesADenial() throws Exception {
    JsonObject result = NodeScript.run("device-grant-oauth-client.mjs", Map.of(
        "GATEHOUSE_BASE_URL", baseUrl,
        "GATEHOUSE_ISSUER", baseUrl + "/",
        "GATEHOUSE_USERNAME", USER,
        "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofSeconds(240)).json();
    assertThat(result.getBoolean("ok")).as(result.encodePrettily()).isTrue();
    assertThat(result.getString("issuer")).isEqualTo(baseUrl + "/");

    JsonObject approved = result.getJsonObject("approved");
    String deviceId = approved.getString("deviceId");
    JsonObject started = approved.getJsonObject("started");
    assertThat(started.getString("verification_uri")).isEqualTo(baseUrl + "/link");
    assertThat(started.getString("verification_uri_complete"))
        .isEqualTo(baseUrl + "/link?code=" + started.getString("user_code"));
    // The library was told to keep waiting at least once, was never told to slow down, and then got tokens.
    assertThat(approved.getInteger("authorizationPending")).as(approved.encodePrettily()).isGreaterThanOrEqualTo(1);
    assertThat(approved.getInteger("slowDown")).as(approved.encodePrettily()).isZero();
    List<Object> answers = approved.getJsonArray("answers").getList();
    assertThat(answers.get(answers.size() - 1)).isEqualTo("tokens");
    // The person typed the code, signed in, and saw the application and the device ID before approving.
    JsonObject page = approved.getJsonObject("page");
    assertThat(page.getString("confirmation")).contains("Signed in as " + USER_ID)
        .contains("RFC 8628 device (openid-client interop)").contains(deviceId);
    assertThat(page.getString("outcome")).contains("Device approved");
    // The tokens belong to the user and the requested device, and the refresh token rotates and keeps the device.
    assertThat(approved.getString("tokenType")).isEqualToIgnoringCase("bearer");
    assertThat(approved.getString("scope")).contains("urn:matrix:client:device:" + deviceId);
    assertThat(approved.getJsonObject("whoami").getString("user_id")).isEqualTo(USER_ID);
    assertThat(approved.getJsonObject("whoami").getString("device_id")).isEqualTo(deviceId);
    assertThat(approved.getJsonObject("whoamiAfterRefresh").getString("device_id")).isEqualTo(deviceId);
    assertThat(approved.getBoolean("refreshRotated")).isTrue();

    JsonObject denied = result.getJsonObject("denied");
    assertThat(denied.getInteger("authorizationPending")).as(denied.encodePrettily()).isGreaterThanOrEqualTo(1);
    assertThat(denied.getInteger("slowDown")).isZero();
    assertThat(denied.getJsonObject("page").getString("outcome")).contains("Request denied");
    // openid-client surfaces the denial as the OAuth error the RFC names, from an HTTP 400.
    JsonObject error = denied.getJsonObject("error");
    assertThat(error.getString("name")).isEqualTo("ResponseBodyError");
    assertThat(error.getString("error")).isEqualTo("access_denied");
    assertThat(error.getInteger("status")).isEqualTo(400);
    assertThat(denied.getInteger("deviceStatusAfterDeny")).isEqualTo(404);

    // From a separate sign-in of the same user: the approved device is listed, the denied one is not.
    OAuthTestClient web = new OAuthTestClient(vertx, baseUrl);
    OAuthTestClient.Tokens tokens = web.signIn(USER, PASSWORD);
    JsonArray devices = web.get("/_matrix/client/v3/devices", tokens.accessToken()).bodyAsJsonObject()
        .getJsonArray("devices");
    List<String> ids = devices.stream().map(d -> ((JsonObject) d).getString("device_id")).toList();
    assertThat(ids).contains(deviceId).doesNotContain(denied.getString("deviceId"));
    System.out.println("openid-client device flow result: " + result.encode());
  }
}
