package org.gatehouse.auth.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.SharedAuthServerTest;
import org.gatehouse.common.auth.AuthAddresses;
import org.junit.jupiter.api.Test;

/** The legacy login API on compatibility sessions: password login, refresh, logout, and how they show elsewhere. */
class LegacyLoginTest extends SharedAuthServerTest {
  private static HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    var request = auth.client().post(path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject passwordLogin(String user, String password) {
    return new JsonObject().put("type", "m.login.password").put("password", password)
        .put("identifier", new JsonObject().put("type", "m.id.user").put("user", user));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("errcode")).isEqualTo(errcode);
  }

  private static JsonObject introspect(String token) throws Exception {
    return auth.client().post("/oauth2/introspect").bearerTokenAuthentication(AuthTestServer.INTROSPECTION_SECRET)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_type_hint", "access_token"))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject();
  }

  @Test
  void theFlowsArePasswordOnly() throws Exception {
    JsonObject flows = auth.client().get("/_matrix/client/v3/login").send().await(10, TimeUnit.SECONDS).bodyAsJsonObject();
    assertThat(flows).isEqualTo(new JsonObject().put("flows", new JsonArray().add(new JsonObject()
        .put("type", "m.login.password"))));
  }

  @Test
  void aPasswordLoginIsASessionLikeAnyOtherUntilLogout() throws Exception {
    String user = newUser();
    HttpResponse<Buffer> login = post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD)
        .put("initial_device_display_name", "A bot"));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    JsonObject answer = login.bodyAsJsonObject();
    assertThat(answer.getString("user_id")).isEqualTo("@" + user + ":test.local");
    assertThat(answer.getString("device_id")).matches("[A-Z]{10}");
    assertThat(answer.containsKey("refresh_token")).as("not asked for").isFalse();
    String token = answer.getString("access_token");
    assertThat(token).startsWith("mat_");
    assertThat(whoami(token)).isEqualTo(200);
    JsonObject device = oauth.get("/_matrix/client/v3/devices/" + answer.getString("device_id"), token).bodyAsJsonObject();
    assertThat(device.getString("display_name")).isEqualTo("A bot");
    // The homeserver sees it as it sees an OAuth session's token: active, with the device.
    JsonObject introspected = introspect(token);
    assertThat(introspected.getBoolean("active")).isTrue();
    assertThat(introspected.getString("device_id")).isEqualTo(answer.getString("device_id"));
    assertThat(introspected.getString("scope")).contains("urn:matrix:client:api:*");
    assertThat(introspected.getLong("expires_in")).as("a token that cannot be refreshed lasts")
        .isGreaterThan(365L * 24 * 3600);

    assertThat(post("/_matrix/client/v3/logout", token, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(whoami(token)).isEqualTo(401);
    assertThat(introspect(token).getBoolean("active")).isFalse();
  }

  @Test
  void theDeprecatedUserFieldAndAGivenDeviceWork() throws Exception {
    String user = newUser();
    JsonObject answer = post("/_matrix/client/r0/login", null, new JsonObject().put("type", "m.login.password")
        .put("user", "@" + user + ":test.local").put("password", PASSWORD).put("device_id", "MYBOT")).bodyAsJsonObject();
    assertThat(answer.getString("device_id")).isEqualTo("MYBOT");
    assertThat(whoami(answer.getString("access_token"))).isEqualTo(200);
  }

  @Test
  void withRefreshTokensTheAccessTokenExpiresAndRotates() throws Exception {
    String user = newUser();
    JsonObject answer = post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD).put("refresh_token", true))
        .bodyAsJsonObject();
    assertThat(answer.getLong("expires_in_ms")).isBetween(1L, 5 * 60 * 1000L);
    String refreshToken = answer.getString("refresh_token");
    assertThat(refreshToken).startsWith("mar_");
    HttpResponse<Buffer> refreshed = post("/_matrix/client/v3/refresh", null,
        new JsonObject().put("refresh_token", refreshToken));
    assertThat(refreshed.statusCode()).as(refreshed.bodyAsString()).isEqualTo(200);
    JsonObject next = refreshed.bodyAsJsonObject();
    assertThat(next.getString("refresh_token")).isNotEqualTo(refreshToken);
    assertThat(whoami(next.getString("access_token"))).isEqualTo(200);
    // A refresh token that is not one, or one of an OAuth client, is refused as unknown.
    assertError(post("/_matrix/client/v3/refresh", null, new JsonObject().put("refresh_token", "mar_nothing")), 401,
        "M_UNKNOWN_TOKEN");
    String oauthRefresh = oauth.signIn(user, PASSWORD).refreshToken();
    assertError(post("/_matrix/client/v3/refresh", null, new JsonObject().put("refresh_token", oauthRefresh)), 401,
        "M_UNKNOWN_TOKEN");
  }

  @Test
  void wrongPasswordsUnknownTypesAndAppservicesAreRefused() throws Exception {
    String user = newUser();
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(user, "not the password")), 403, "M_FORBIDDEN");
    assertError(post("/_matrix/client/v3/login", null, passwordLogin("nobody-at-all", PASSWORD)), 403, "M_FORBIDDEN");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.token").put("token", "x")),
        400, "M_UNKNOWN");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.application_service")),
        400, "M_APPSERVICE_LOGIN_UNSUPPORTED");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.password")
        .put("password", PASSWORD).put("identifier", new JsonObject().put("type", "m.id.thirdparty"))), 400, "M_UNKNOWN");
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD).put("device_id", "has space")),
        400, "M_INVALID_PARAM");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.password")), 400,
        "M_MISSING_PARAM");
  }

  @Test
  void lockedAndDeactivatedAccountsGetTheirOwnCodes() throws Exception {
    String locked = newUser();
    auth.setStatus("@" + locked + ":test.local", false, true);
    HttpResponse<Buffer> refused = post("/_matrix/client/v3/login", null, passwordLogin(locked, PASSWORD));
    assertError(refused, 401, "M_USER_LOCKED");
    String gone = newUser();
    auth.server().vertx().eventBus().request(AuthAddresses.ACCOUNT_DEACTIVATE,
        new JsonObject().put("user_id", "@" + gone + ":test.local").put("by", "test")).await(10, TimeUnit.SECONDS);
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(gone, PASSWORD)), 403, "M_USER_DEACTIVATED");
    // Only with the right password: a wrong one says nothing about the account.
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(gone, "wrong password")), 403, "M_FORBIDDEN");
  }

  @Test
  void logoutAllEndsEverySessionOAuthOnesIncluded() throws Exception {
    String user = newUser();
    String legacy = post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD)).bodyAsJsonObject()
        .getString("access_token");
    String viaOAuth = oauth.signIn(user, PASSWORD).accessToken();
    assertThat(post("/_matrix/client/v3/logout/all", legacy, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(whoami(legacy)).isEqualTo(401);
    assertThat(whoami(viaOAuth)).isEqualTo(401);
    assertError(post("/_matrix/client/v3/logout", null, new JsonObject()), 401, "M_MISSING_TOKEN");
  }

  @Test
  void turnedOffThereIsNoFlowAndAPasswordIsRefused() throws Exception {
    try (AuthTestServer off = AuthTestServer.start(java.util.Map.of("legacy_login", java.util.Map.of("password", false)),
        org.gatehouse.common.testing.MutableClock.startingNow())) {
      String user = "off" + System.nanoTime();
      off.createUser(user, PASSWORD, false);
      assertThat(off.client().get("/_matrix/client/v3/login").send().await(10, TimeUnit.SECONDS).bodyAsJsonObject())
          .isEqualTo(new JsonObject().put("flows", new JsonArray()));
      HttpResponse<Buffer> refused = off.client().post("/_matrix/client/v3/login")
          .sendJsonObject(passwordLogin(user, PASSWORD)).await(10, TimeUnit.SECONDS);
      assertError(refused, 400, "M_UNKNOWN");
    }
  }
}
