package org.gatehouse.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

/** The result of {@code interop/legacy-login-matrix-js-sdk.mjs}: what a client that only knows /login must see. */
public final class LegacyLoginClient {
  private LegacyLoginClient() {
  }

  /** What the script must have seen, alone or behind Synapse. */
  public static void assertWorked(JsonObject result, String userId) {
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();
    assertThat(result.getJsonArray("flows").getList()).as(facts).contains("m.login.password");
    JsonObject login = result.getJsonObject("login");
    assertThat(login.getString("userId")).isEqualTo(userId);
    assertThat(login.getString("accessShape")).startsWith("mat_");
    assertThat(login.getString("refreshShape")).startsWith("mar_");
    assertThat(result.getJsonObject("whoami")).isEqualTo(new JsonObject().put("userId", userId)
        .put("deviceId", login.getString("deviceId")));
    JsonObject refresh = result.getJsonObject("refresh");
    assertThat(refresh.getBoolean("rotated")).as(facts).isTrue();
    assertThat(refresh.getJsonObject("whoami").getString("deviceId")).isEqualTo(login.getString("deviceId"));
    JsonObject bot = result.getJsonObject("bot");
    assertThat(bot.getValue("refreshToken")).as("not asked for").isNull();
    assertThat(bot.getBoolean("whoami")).isTrue();
    assertThat(result.getJsonObject("afterLogout")).as(facts)
        .isEqualTo(new JsonObject().put("status", 401).put("errcode", "M_UNKNOWN_TOKEN"));
    System.out.println("legacy-login-matrix-js-sdk result: " + result.encode());
  }

  /** What {@code interop/legacy-login-bot-sdk.mjs} must have seen. */
  public static void assertBotWorked(JsonObject result, String userId) {
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();
    assertThat(result.getJsonObject("whoami").getString("userId")).as(facts).isEqualTo(userId);
    assertThat(result.getJsonObject("whoami").getString("deviceId")).as(facts).isNotBlank();
    assertThat(result.getJsonObject("afterLogout")).as(facts)
        .isEqualTo(new JsonObject().put("status", 401).put("errcode", "M_UNKNOWN_TOKEN"));
    System.out.println("legacy-login-bot-sdk result: " + result.encode());
  }

  /** What {@code interop/browser-legacy-sso.mjs} must have seen. */
  public static void assertSsoWorked(JsonObject result, String userId) {
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();
    assertThat(result.getJsonArray("flows").getList()).as(facts).contains("m.login.sso", "m.login.token");
    assertThat(result.getJsonObject("signInPage").getString("path")).isEqualTo("/login");
    assertThat(result.getJsonObject("question").getString("text")).as(facts).contains(userId);
    assertThat(result.getJsonObject("landed")).as(facts).isEqualTo(new JsonObject().put("origin", "app")
        .put("from", "sso").put("tokenShape", "mlt_"));
    assertThat(result.getJsonObject("login").getString("userId")).isEqualTo(userId);
    assertThat(result.getBoolean("whoami")).isTrue();
    assertThat(result.getJsonObject("secondUse")).as("a login token works once")
        .isEqualTo(new JsonObject().put("status", 403).put("errcode", "M_FORBIDDEN"));
    System.out.println("browser-legacy-sso result: " + result.encode());
  }
}
