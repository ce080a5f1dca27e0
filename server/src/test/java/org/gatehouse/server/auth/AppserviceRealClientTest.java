package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appservice bot SDK from npm ({@code @vector-im/matrix-bot-sdk} 0.8.0-element.3, its release with MSC4190
 * support; see {@code interop/appservice-bot-sdk.mjs}) against a started node that has the appservice's
 * registration file, with {@code io.element.msc4190: true}, in its configuration.
 *
 * <p>The SDK's device path is {@code Intent.enableEncryption(deviceId)}: register with {@code inhibit_login},
 * {@code PUT /devices/{id}}, whoami as that device, then start the end-to-end-encryption machine. That machine is
 * the native add-on {@code @matrix-org/matrix-sdk-crypto-nodejs}, whose install script downloads a prebuilt binary
 * from GitHub, which this machine cannot reach: {@code interop/package.json} replaces that one package with a local
 * stub ({@code interop/stubs/matrix-sdk-crypto-nodejs}) so the SDK loads, and the call ends with the stub's error
 * once the SDK has created and verified its device. Nothing asserted here goes through the stub. Renaming and
 * deleting have no SDK call and go through the SDK's {@code MatrixClient.doRequest}.
 */
class AppserviceRealClientTest {
  static final String AS_TOKEN = "as_token_of_the_bot_sdk_bridge";
  static final String HS_TOKEN = "hs_token_of_the_bot_sdk_bridge";

  @TempDir
  Path dir;

  @Test
  void theBotSdkAssertsADeviceCreatedThroughTheDevicePathAndLosesItWhenDeleted() throws Exception {
    Path registration = dir.resolve("bridge.yaml");
    Files.writeString(registration, """
        id: bridge
        url: http://127.0.0.1:9
        as_token: %s
        hs_token: %s
        sender_localpart: bridgebot
        rate_limited: false
        io.element.msc4190: true
        namespaces:
          users:
            - exclusive: true
              regex: '@bridge_.*:test\\.local'
          aliases: []
          rooms: []
        """.formatted(AS_TOKEN, HS_TOKEN));
    try (TestNodes nodes = TestNodes.start(1, Map.of("auth", Map.of("appservices",
        Map.of("registration_files", List.of(registration.toString())))))) {
      // What a homeserver connector following the event bus learns about the SDK's device.
      List<JsonObject> facts = new CopyOnWriteArrayList<>();
      nodes.node(0).vertx().eventBus().<JsonObject>consumer(AuthFacts.DeviceCreated.ADDRESS,
          m -> facts.add(m.body().copy().put("fact", "created"))).completion().await(10, TimeUnit.SECONDS);
      nodes.node(0).vertx().eventBus().<JsonObject>consumer(AuthFacts.DeviceDeleted.ADDRESS,
          m -> facts.add(m.body().copy().put("fact", "deleted"))).completion().await(10, TimeUnit.SECONDS);

      JsonObject result = NodeScript.run("appservice-bot-sdk.mjs", Map.of(
          "GATEHOUSE_BASE_URL", nodes.url(0),
          "GATEHOUSE_SERVER_NAME", "test.local",
          "GATEHOUSE_AS_TOKEN", AS_TOKEN,
          "GATEHOUSE_HS_TOKEN", HS_TOKEN,
          "GATEHOUSE_AS_SENDER", "bridgebot",
          "GATEHOUSE_AS_USER_REGEX", "@bridge_.*:test\\.local"), Duration.ofSeconds(120)).json();
      String pretty = result.encodePrettily();
      assertThat(result.getBoolean("ok")).as(pretty).isTrue();

      // The appservice itself is its sender; the SDK's user is in the namespace.
      assertThat(result.getString("sender")).as(pretty).isEqualTo("@bridgebot:test.local");
      String user = "@bridge_alice:test.local";
      assertThat(result.getString("user_id")).as(pretty).isEqualTo(user);
      // The SDK's MSC4190 path, request by request: registration with inhibit_login, the device, whoami as the
      // device (the SDK's own check, then its crypto start-up's), and never the /login fallback.
      assertThat(result.getString("enable_encryption")).as(pretty).contains("stubbed in the Gatehouse interop harness");
      assertThat(result.getJsonArray("sdk_requests").getList()).as(pretty).containsExactly(
          "POST /_matrix/client/v3/register",
          "PUT /_matrix/client/v3/devices/BOTSDKDEVICE1",
          "GET /_matrix/client/v3/account/whoami",
          "GET /_matrix/client/v3/account/whoami");
      assertThat(result.getBoolean("sdk_marked_registered")).as(pretty).isTrue();
      // whoami through the SDK's device impersonation answers that device.
      assertThat(result.getJsonObject("whoami_device")).as(pretty).isEqualTo(new JsonObject()
          .put("user_id", user).put("is_guest", false).put("device_id", "BOTSDKDEVICE1"));
      // The same PUT again finds the device instead of creating another.
      assertThat(result.getInteger("device_put_again_status")).as(pretty).isEqualTo(200);
      assertThat(result.getJsonArray("devices_listed").getList()).as(pretty).containsExactly("BOTSDKDEVICE1");
      assertThat(result.getInteger("rename_status")).as(pretty).isEqualTo(200);
      assertThat(result.getString("display_name")).as(pretty).isEqualTo("Alice's bridge");

      // Deleted without User-Interactive Authentication, gone from the list, and no longer assertable: the SDK
      // sends the unstable parameter, and the answer is Synapse's, the stable errcode.
      assertThat(result.getInteger("delete_status")).as(pretty).isEqualTo(200);
      assertThat(result.getJsonArray("devices_after_delete")).as(pretty).isEmpty();
      assertThat(result.getJsonObject("whoami_deleted_device")).as(pretty).isEqualTo(new JsonObject()
          .put("status", 400).put("errcode", "M_UNKNOWN_DEVICE"));

      // Outside the namespace: the SDK agrees it is not its user, and the server refuses the assertion.
      assertThat(result.getBoolean("outsider_namespaced")).as(pretty).isFalse();
      assertThat(result.getJsonObject("whoami_outsider")).as(pretty)
          .isEqualTo(new JsonObject().put("status", 403).put("errcode", "M_FORBIDDEN"));

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> facts.size() >= 2);
      assertThat(facts).containsExactly(
          new JsonObject().put("user_id", user).put("device_id", "BOTSDKDEVICE1").putNull("display_name")
              .put("by", "bridge").put("fact", "created"),
          new JsonObject().put("user_id", user).put("device_id", "BOTSDKDEVICE1").put("by", "bridge")
              .put("fact", "deleted"));
    }
  }
}
