package org.gatehouse.server.auth;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.gatehouse.server.interop.LegacyLoginClient;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A client that only knows the legacy login API, matrix-js-sdk 37.5.0 ({@code interop/legacy-login-matrix-js-sdk.mjs}),
 * against a node alone: password login with and without refresh tokens, the SDK's own refresh, logout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyLoginRealClientTest {
  static final String USERNAME = "lena";
  static final String PASSWORD = "a long password for lena";

  TestNodes nodes;

  @BeforeAll
  void start() {
    nodes = TestNodes.startOneAtItsPublicUrl(Map.of());
    nodes.createUser(USERNAME, PASSWORD);
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void matrixJsSdkLogsInWithAPasswordRefreshesAndLogsOut() {
    JsonObject result = NodeScript.run("legacy-login-matrix-js-sdk.mjs", Map.of("GATEHOUSE_BASE_URL", nodes.publicUrl(),
        "GATEHOUSE_USERNAME", USERNAME, "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofSeconds(60)).json();
    LegacyLoginClient.assertWorked(result, "@" + USERNAME + ":test.local");
  }

  @Test
  void aBotLogsInWithAPasswordThroughTheBotSdk() {
    nodes.createUser("beepbot", PASSWORD);
    JsonObject result = NodeScript.run("legacy-login-bot-sdk.mjs", Map.of("GATEHOUSE_BASE_URL", nodes.publicUrl(),
        "GATEHOUSE_USERNAME", "beepbot", "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofSeconds(60)).json();
    LegacyLoginClient.assertBotWorked(result, "@beepbot:test.local");
  }

  @Test
  void anSsoLoginThroughThePagesInChromiumEndsInALoginToken() {
    nodes.createUser("sso-user", PASSWORD);
    JsonObject result = NodeScript.run("browser-legacy-sso.mjs", Map.of("GATEHOUSE_BASE_URL", nodes.publicUrl(),
        "GATEHOUSE_USER", "sso-user", "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofSeconds(120)).json();
    LegacyLoginClient.assertSsoWorked(result, "@sso-user:test.local");
  }
}
