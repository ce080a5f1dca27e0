package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.gatehouse.server.interop.NodeScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge on {@code @vector-im/matrix-bot-sdk} (its MSC4190 release) in the deployment of docs/synapse.md: the
 * proxy sends appservice traffic ({@code /register}, {@code /devices}, everything but sign-in) to Synapse, which has
 * the registration and, with its auth delegated, implements MSC4190 and MSC4326 itself. Gatehouse is not asked: an
 * appservice token is never introspected.
 */
class SynapseAppserviceTest extends BehindSynapse {
  static final String AS_TOKEN = "as_token_of_the_bridge_behind_synapse";
  static final String HS_TOKEN = "hs_token_of_the_bridge_behind_synapse";

  @TempDir
  static Path dir;

  @Override
  Map<String, Object> gatehouseConfig(SynapseStack stack) {
    Path registration = dir.resolve("bridge.yaml");
    // As Synapse reads it; no io.element.msc4190 flag: with delegated auth every appservice gets device management.
    write(registration, """
        id: bridge
        url: null
        as_token: %s
        hs_token: %s
        sender_localpart: bridgebot
        rate_limited: false
        namespaces:
          users:
            - exclusive: true
              regex: '@bridge_.*:localhost'
          aliases: []
          rooms: []
        """.formatted(AS_TOKEN, HS_TOKEN));
    stack.registerAppservice(registration);
    return Map.of();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aBridgeRegistersItsUserCreatesADeviceActsAsItAndDeletesIt() {
    JsonObject result = NodeScript.run("appservice-bot-sdk.mjs", Map.of(
        "GATEHOUSE_BASE_URL", deployment.proxyUrl(),
        "GATEHOUSE_SERVER_NAME", SynapseDeployment.SERVER_NAME,
        "GATEHOUSE_AS_TOKEN", AS_TOKEN,
        "GATEHOUSE_HS_TOKEN", HS_TOKEN,
        "GATEHOUSE_AS_SENDER", "bridgebot",
        "GATEHOUSE_AS_USER_REGEX", "@bridge_.*:localhost",
        "GATEHOUSE_AS_ROOMS", "1"), Duration.ofSeconds(120)).json();
    String pretty = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(pretty).isTrue();
    String user = "@bridge_alice:localhost";
    assertThat(result.getString("user_id")).isEqualTo(user);
    // The SDK's device path, registration with inhibit_login first; never the /login fallback.
    assertThat(result.getJsonArray("sdk_requests").getList()).as(pretty).containsExactly(
        "POST /_matrix/client/v3/register",
        "PUT /_matrix/client/v3/devices/BOTSDKDEVICE1",
        "GET /_matrix/client/v3/account/whoami",
        "GET /_matrix/client/v3/account/whoami");
    assertThat(result.getJsonObject("whoami_device")).as(pretty).isEqualTo(new JsonObject()
        .put("user_id", user).put("is_guest", false).put("device_id", "BOTSDKDEVICE1"));
    // Acting as the device at Synapse: a room and a message, read back.
    JsonObject room = result.getJsonObject("room");
    assertThat(room.getString("sender")).as(pretty).isEqualTo(user);
    assertThat(room.getString("body")).isEqualTo("hello from the bridge's device");
    assertThat(result.getInteger("device_put_again_status")).as(pretty).isEqualTo(200);
    assertThat(result.getJsonArray("devices_listed").getList()).as(pretty).containsExactly("BOTSDKDEVICE1");
    assertThat(result.getInteger("rename_status")).as(pretty).isEqualTo(200);
    assertThat(result.getInteger("delete_status")).as(pretty).isEqualTo(200);
    assertThat(result.getJsonArray("devices_after_delete")).as(pretty).isEmpty();
    // Synapse refuses the deleted device. Synapse 1.163 knows only the stable parameter and errcode: the proxy
    // added device_id next to the SDK's unstable org.matrix.msc3202.device_id (conf/synapse/nginx.conf), so the
    // answer is the stable M_UNKNOWN_DEVICE.
    assertThat(result.getJsonObject("whoami_deleted_device")).as(pretty).isEqualTo(new JsonObject()
        .put("status", 400).put("errcode", "M_UNKNOWN_DEVICE"));
    assertThat(result.getJsonObject("whoami_outsider")).as(pretty)
        .isEqualTo(new JsonObject().put("status", 403).put("errcode", "M_FORBIDDEN"));
  }
}
