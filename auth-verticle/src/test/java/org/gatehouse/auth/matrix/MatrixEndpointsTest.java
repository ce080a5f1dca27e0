package org.gatehouse.auth.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.SharedAuthServerTest;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.Test;

/** whoami and the device list as Matrix clients use them, and how the requester's account state shows. */
class MatrixEndpointsTest extends SharedAuthServerTest {
  private static void assertMatrixError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("errcode")).isEqualTo(errcode);
  }

  @Test
  void whoamiNamesTheUserAndDevice() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = oauth.signIn(user, PASSWORD);
    JsonObject whoami = oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).bodyAsJsonObject();
    assertThat(whoami).isEqualTo(new JsonObject().put("user_id", "@" + user + ":test.local").put("is_guest", false)
        .put("device_id", tokens.deviceId()));
  }

  @Test
  void devicesListsTheUsersDevicesAndUnknownOnesAre404() throws Exception {
    String user = newUser();
    String client = oauth.registerClient();
    OAuthTestClient.Tokens first = oauth.signIn(client, user, PASSWORD, "FIRSTDEVICE1", "");
    OAuthTestClient.Tokens second = oauth.signIn(client, user, PASSWORD, "SECONDDEVICE", "");
    JsonObject list = oauth.get("/_matrix/client/v3/devices", first.accessToken()).bodyAsJsonObject();
    assertThat(list.getJsonArray("devices").stream().map(d -> ((JsonObject) d).getString("device_id")))
        .containsExactlyInAnyOrder("FIRSTDEVICE1", "SECONDDEVICE");
    JsonObject unused = oauth.get("/_matrix/client/v3/devices/SECONDDEVICE", first.accessToken()).bodyAsJsonObject();
    assertThat(unused.getString("device_id")).isEqualTo("SECONDDEVICE");
    assertThat(unused.getValue("last_seen_ts")).as("never used yet").isNull();
    // A request with the second device's token is what makes it "seen" (written off the request's path).
    oauth.get("/_matrix/client/v3/account/whoami", second.accessToken());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> oauth.get(
        "/_matrix/client/v3/devices/SECONDDEVICE", first.accessToken()).bodyAsJsonObject().getValue("last_seen_ts") != null);
    JsonObject seen = oauth.get("/_matrix/client/v3/devices/SECONDDEVICE", first.accessToken()).bodyAsJsonObject();
    assertThat(seen.getLong("last_seen_ts")).isPositive();
    assertThat(seen.getString("last_seen_ip")).isEqualTo("127.0.0.1");
    assertMatrixError(oauth.get("/_matrix/client/v3/devices/NOSUCHDEVICE", second.accessToken()), 404, "M_NOT_FOUND");
    // Another user's device is as unknown as a device that does not exist.
    OAuthTestClient.Tokens stranger = oauth.signIn(newUser(), PASSWORD);
    assertMatrixError(oauth.get("/_matrix/client/v3/devices/FIRSTDEVICE1", stranger.accessToken()), 404, "M_NOT_FOUND");
  }

  @Test
  void missingUnknownAndQueryStringTokensAreRefused() throws Exception {
    HttpResponse<Buffer> none = auth.client().get("/_matrix/client/v3/account/whoami").send().await(10, TimeUnit.SECONDS);
    assertMatrixError(none, 401, "M_MISSING_TOKEN");
    assertMatrixError(oauth.get("/_matrix/client/v3/account/whoami", "mat_notatoken"), 401, "M_UNKNOWN_TOKEN");
    assertMatrixError(oauth.get("/_matrix/client/v3/account/whoami", "syt_other_server_token"), 401, "M_UNKNOWN_TOKEN");
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    HttpResponse<Buffer> query = auth.client().get("/_matrix/client/v3/account/whoami?access_token=" + tokens.accessToken())
        .send().await(10, TimeUnit.SECONDS);
    assertMatrixError(query, 401, "M_MISSING_TOKEN");
    assertThat(query.bodyAsJsonObject().getString("error")).contains("MSC4126");
  }

  @Test
  void anAppGrantedOnlyOpenidCannotAskWhoamiListOrRenameDevices() throws Exception {
    String user = newUser();
    String client = oauth.registerClient("Sign in with Matrix");
    OAuthTestClient.Tokens full = oauth.signIn(client, user, PASSWORD, "REALDEVICE01", "");
    OAuthTestClient.Tokens openid = oauth.signInWithScope(client, user, PASSWORD, null, "openid");
    Object nameBefore = oauth.get("/_matrix/client/v3/devices/REALDEVICE01", full.accessToken()).bodyAsJsonObject()
        .getValue("display_name");
    for (HttpResponse<Buffer> refused : List.of(
        oauth.get("/_matrix/client/v3/account/whoami", openid.accessToken()),
        oauth.get("/_matrix/client/v3/devices", openid.accessToken()),
        oauth.get("/_matrix/client/v3/devices/REALDEVICE01", openid.accessToken()),
        auth.client().put("/_matrix/client/v3/devices/REALDEVICE01").bearerTokenAuthentication(openid.accessToken())
            .sendJsonObject(new JsonObject().put("display_name", "pwned")).await(10, TimeUnit.SECONDS),
        auth.client().delete("/_matrix/client/v3/devices/REALDEVICE01").bearerTokenAuthentication(openid.accessToken())
            .send().await(10, TimeUnit.SECONDS))) {
      assertMatrixError(refused, 401, "M_UNKNOWN_TOKEN");
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("Token doesn't grant access to the Matrix C-S API");
      assertThat(refused.bodyAsJsonObject().getBoolean("soft_logout")).isFalse();
    }
    JsonObject device = oauth.get("/_matrix/client/v3/devices/REALDEVICE01", full.accessToken()).bodyAsJsonObject();
    assertThat(device.getValue("display_name")).as("not renamed").isEqualTo(nameBefore).isNotEqualTo("pwned");
    // What the app was granted still works: knowing who the user is.
    HttpResponse<Buffer> userinfo = oauth.get("/oauth2/userinfo", openid.accessToken());
    assertThat(userinfo.statusCode()).isEqualTo(200);
    assertThat(userinfo.bodyAsJsonObject().getString("urn:matrix:user_id")).isEqualTo("@" + user + ":test.local");
  }

  @Test
  void theUnstableApiScopeGrantsTheApiAsTheStableOneDoes() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = oauth.signInWithScope(oauth.registerClient(), user, PASSWORD, "UNSTABLEDEV1",
        "urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:UNSTABLEDEV1");
    HttpResponse<Buffer> whoami = oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken());
    assertThat(whoami.statusCode()).as(whoami.bodyAsString()).isEqualTo(200);
    assertThat(whoami.bodyAsJsonObject().getString("device_id")).isEqualTo("UNSTABLEDEV1");
  }

  @Test
  void lockedAccountsGetUserLockedWithSoftLogoutAndUnlockingRestoresTheSameToken() throws Exception {
    String user = newUser();
    String userId = "@" + user + ":test.local";
    OAuthTestClient.Tokens tokens = oauth.signIn(user, PASSWORD);
    auth.setStatus(userId, false, true);
    HttpResponse<Buffer> locked = oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken());
    assertMatrixError(locked, 401, "M_USER_LOCKED");
    assertThat(locked.bodyAsJsonObject().getBoolean("soft_logout")).isTrue();
    assertMatrixError(oauth.get("/_matrix/client/v3/devices", tokens.accessToken()), 401, "M_USER_LOCKED");
    auth.setStatus(userId, false, false);
    assertThat(oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void suspendedAccountsCanStillRead() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = oauth.signIn(user, PASSWORD);
    auth.setStatus("@" + user + ":test.local", true, false);
    assertThat(oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
    assertThat(oauth.get("/_matrix/client/v3/devices", tokens.accessToken()).statusCode()).isEqualTo(200);
  }
}
