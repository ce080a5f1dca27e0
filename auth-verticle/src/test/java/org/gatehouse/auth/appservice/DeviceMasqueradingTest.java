package org.gatehouse.auth.appservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gatehouse.auth.appservice.AppserviceServer.assertError;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.appservice.AppserviceServer.Registration;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device masquerading (MSC4326) over real HTTP, with the stable {@code device_id} parameter that no library sends
 * yet as well as the unstable {@code org.matrix.msc3202.device_id} that they do: the corners {@link AppserviceTest}
 * does not reach — the sender's devices, a device of another user, the namespace checked before the device, which
 * name wins when both are sent, refusal on endpoints other than whoami, "last seen", and callers that are not
 * appservices.
 */
class DeviceMasqueradingTest {
  static final String MASK_TOKEN = "as_token_of_the_mask_bridge";
  static final String OTHER_TOKEN = "as_token_of_the_other_bridge";
  static final String SENDER = "@maskbot:test.local";
  static final String WHOAMI = "/_matrix/client/v3/account/whoami";
  static final String UNSTABLE = "org.matrix.msc3202.device_id";
  static AuthTestServer auth;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    auth = AppserviceServer.start(dir, Map.of(),
        new Registration("mask", RegistrationFilesTest.registration("mask", MASK_TOKEN, "@mask_.*:test\\.local")),
        new Registration("other", RegistrationFilesTest.registration("other", OTHER_TOKEN, "@other_.*:test\\.local")));
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body)
      throws Exception {
    return AppserviceServer.call(auth, method, path, token, body);
  }

  private static HttpResponse<Buffer> whoami(String token, String query) throws Exception {
    return call(HttpMethod.GET, WHOAMI + query, token, null);
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static JsonObject whoamiBody(String userId, String deviceId) {
    JsonObject body = new JsonObject().put("user_id", userId).put("is_guest", false);
    return deviceId == null ? body : body.put("device_id", deviceId);
  }

  private static String register(String token, String localpart) throws Exception {
    return AppserviceServer.register(auth, token, localpart);
  }

  private static void createDevice(String token, String userId, String deviceId) throws Exception {
    String query = userId == null ? "" : "?user_id=" + userId;
    HttpResponse<Buffer> created = call(HttpMethod.PUT, "/_matrix/client/v3/devices/" + deviceId + query, token,
        new JsonObject());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  @Test
  void aDeviceIdWithoutUserIdIsOneOfTheSendersDevices() throws Exception {
    createDevice(MASK_TOKEN, null, "SENDERDEV");
    assertThat(ok(whoami(MASK_TOKEN, "?device_id=SENDERDEV"))).isEqualTo(whoamiBody(SENDER, "SENDERDEV"));
    assertThat(ok(whoami(MASK_TOKEN, "?" + UNSTABLE + "=SENDERDEV"))).isEqualTo(whoamiBody(SENDER, "SENDERDEV"));
    // Looked up among the sender's devices, not ignored: an unknown one is refused with either name...
    assertError(whoami(MASK_TOKEN, "?device_id=NOPE"), 400, "M_UNKNOWN_DEVICE");
    assertError(whoami(MASK_TOKEN, "?" + UNSTABLE + "=NOPE"), 400, "M_UNKNOWN_DEVICE");
    // ...and so is a device of a namespaced user, which is not the sender's.
    String user = register(MASK_TOKEN, "mask_ulla");
    createDevice(MASK_TOKEN, user, "ULLADEV");
    assertError(whoami(MASK_TOKEN, "?device_id=ULLADEV"), 400, "M_UNKNOWN_DEVICE");
    assertThat(ok(whoami(MASK_TOKEN, "?user_id=" + user + "&device_id=ULLADEV"))).isEqualTo(whoamiBody(user, "ULLADEV"));
  }

  @Test
  void aDeviceIsAssertedOnlyForTheUserItBelongsTo() throws Exception {
    String anna = register(MASK_TOKEN, "mask_anna");
    String bert = register(MASK_TOKEN, "mask_bert");
    createDevice(MASK_TOKEN, anna, "ANNADEV");
    assertThat(ok(whoami(MASK_TOKEN, "?user_id=" + anna + "&device_id=ANNADEV"))).isEqualTo(whoamiBody(anna, "ANNADEV"));
    assertError(whoami(MASK_TOKEN, "?user_id=" + bert + "&device_id=ANNADEV"), 400, "M_UNKNOWN_DEVICE");
    assertError(whoami(MASK_TOKEN, "?user_id=" + bert + "&" + UNSTABLE + "=ANNADEV"), 400,
        "M_UNKNOWN_DEVICE");
  }

  @Test
  void theNamespaceIsCheckedBeforeTheDeviceSoOutsidersAre403NotUnknownDevices() throws Exception {
    // A user and device of the other appservice: it may assert them, this one may not (403, not 400).
    String otto = register(OTHER_TOKEN, "other_otto");
    createDevice(OTHER_TOKEN, otto, "OTTODEV");
    assertThat(ok(whoami(OTHER_TOKEN, "?user_id=" + otto + "&device_id=OTTODEV"))).isEqualTo(whoamiBody(otto, "OTTODEV"));
    assertError(whoami(MASK_TOKEN, "?user_id=" + otto + "&device_id=OTTODEV"), 403, "M_FORBIDDEN");
    assertError(whoami(MASK_TOKEN, "?user_id=" + otto + "&" + UNSTABLE + "=OTTODEV"), 403, "M_FORBIDDEN");
    assertError(whoami(MASK_TOKEN, "?user_id=" + otto + "&device_id=NOPE"), 403, "M_FORBIDDEN");
    // A person who signed in through OAuth, outside every namespace, with their real device.
    auth.createUser("mallory", "correct horse battery", false);
    OAuthTestClient.Tokens mallory = auth.oauth().signIn("mallory", "correct horse battery");
    assertError(whoami(MASK_TOKEN, "?user_id=@mallory:test.local&device_id=" + mallory.deviceId()), 403, "M_FORBIDDEN");
    // In the namespace but never registered: 403 too, whatever the device.
    assertError(whoami(MASK_TOKEN, "?user_id=@mask_nobody:test.local&device_id=NOPE"), 403, "M_FORBIDDEN");
  }

  @Test
  void whenBothNamesAreSentTheStableOneDecides() throws Exception {
    String cleo = register(MASK_TOKEN, "mask_cleo");
    createDevice(MASK_TOKEN, cleo, "CLEODEV");
    String as = "?user_id=" + cleo;
    assertThat(ok(whoami(MASK_TOKEN, as + "&device_id=CLEODEV&" + UNSTABLE + "=NOPE")))
        .isEqualTo(whoamiBody(cleo, "CLEODEV"));
    assertError(whoami(MASK_TOKEN, as + "&device_id=NOPE&" + UNSTABLE + "=CLEODEV"), 400, "M_UNKNOWN_DEVICE");
  }

  @Test
  void anUnknownDeviceIsRefusedOnEveryEndpointBeforeItActs() throws Exception {
    String dora = register(MASK_TOKEN, "mask_dora");
    String as = "?user_id=" + dora;
    assertError(call(HttpMethod.GET, "/_matrix/client/v3/devices" + as + "&device_id=NOPE", MASK_TOKEN, null),
        400, "M_UNKNOWN_DEVICE");
    // Creating a device while asserting one that does not exist: refused, and nothing was created.
    assertError(call(HttpMethod.PUT, "/_matrix/client/v3/devices/DORANEW" + as + "&" + UNSTABLE + "=NOPE", MASK_TOKEN,
        new JsonObject()), 400, "M_UNKNOWN_DEVICE");
    assertError(call(HttpMethod.GET, "/_matrix/client/v3/devices/DORANEW" + as, MASK_TOKEN, null), 404, "M_NOT_FOUND");
    // Odd values are unknown devices too, never a 500.
    String odd = URLEncoder.encode("x y/../" + "z".repeat(300), StandardCharsets.UTF_8);
    assertError(whoami(MASK_TOKEN, as + "&device_id=" + odd), 400, "M_UNKNOWN_DEVICE");
    assertError(whoami(MASK_TOKEN, as + "&" + UNSTABLE + "=" + odd), 400, "M_UNKNOWN_DEVICE");
  }

  @Test
  void actingAsADeviceMarksItSeen() throws Exception {
    String emil = register(MASK_TOKEN, "mask_emil");
    createDevice(MASK_TOKEN, emil, "EMILDEV");
    String device = "/_matrix/client/v3/devices/EMILDEV?user_id=" + emil;
    assertThat(ok(call(HttpMethod.GET, device, MASK_TOKEN, null)).getValue("last_seen_ts")).isNull();
    ok(whoami(MASK_TOKEN, "?user_id=" + emil + "&device_id=EMILDEV"));
    long now = auth.clock().instant().toEpochMilli();
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonObject seen = ok(call(HttpMethod.GET, device, MASK_TOKEN, null));
      assertThat(seen.getLong("last_seen_ts")).isEqualTo(now);
      assertThat(seen.getString("last_seen_ip")).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void aCallerThatIsNoAppserviceHasItsDeviceParametersIgnored() throws Exception {
    auth.createUser("mask_frida", "correct horse battery", false);
    OAuthTestClient.Tokens frida = auth.oauth().signIn("mask_frida", "correct horse battery");
    // A device that exists on the same account, so "ignored" cannot be mistaken for "unknown, so dropped".
    createDevice(MASK_TOKEN, "@mask_frida:test.local", "FRIDAOTHER");
    JsonObject own = whoamiBody("@mask_frida:test.local", frida.deviceId());
    for (String query : List.of("?device_id=FRIDAOTHER", "?" + UNSTABLE + "=FRIDAOTHER", "?device_id=NOPE",
        "?" + UNSTABLE + "=NOPE", "?user_id=@mask_frida:test.local&device_id=FRIDAOTHER",
        "?user_id=@maskbot:test.local&device_id=SENDERDEV")) {
      assertThat(ok(whoami(frida.accessToken(), query))).as(query).isEqualTo(own);
    }
  }
}
