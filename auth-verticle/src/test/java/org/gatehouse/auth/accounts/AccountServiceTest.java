package org.gatehouse.auth.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Account administration over the event bus, where only the auth module can show it: imported hashes that sign in,
 * tokens that stop working, cached requesters that follow the admin flag. What the admin module relies on of these
 * services, and the stand-in of its tests also passes, is {@link AccountServiceContractTest}.
 */
class AccountServiceTest {
  static final String PASSWORD = "correct horse battery";
  static AuthTestServer auth;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start();
    // The administrators the tests demote are never the last one, which could not be demoted.
    auth.createUser("keeper", PASSWORD, true);
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static JsonObject ask(String address, JsonObject body) throws Exception {
    try {
      return auth.server().vertx().eventBus().<JsonObject>request(address, body, new DeliveryOptions().setLocalOnly(true))
          .await(10, TimeUnit.SECONDS).body();
    } catch (Exception e) {
      throw BusErrors.toMatrixError(e);
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void importedBcryptHashesSignIn() throws Exception {
    String localpart = unique("imported");
    String bcrypt = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), new byte[16], 4);
    ask(AuthAddresses.ACCOUNT_CREATE, new JsonObject().put("localpart", localpart).put("password_hash", bcrypt));
    assertThat(auth.oauth().signIn(localpart, PASSWORD).accessToken()).startsWith("mat_");
  }

  @Test
  void importingAHashThatWouldMakeEverySignInAttemptCostGigabytesOrHoursIsRefusedNamingTheBound() throws Exception {
    String argon2 = "$argon2id$v=19$m=%d,t=%d,p=%d$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    java.util.Map<String, String> refused = java.util.Map.of(
        argon2.formatted(4194304, 2, 1), "262144 KiB",
        argon2.formatted(65536, 11, 1), "limit of 10",
        argon2.formatted(65536, 2, 9), "limit of 8",
        "$2b$15$" + "a".repeat(53), "limit of 14");
    for (var hash : refused.entrySet()) {
      String localpart = unique("costly");
      assertThatThrownBy(() -> ask(AuthAddresses.ACCOUNT_CREATE, new JsonObject().put("localpart", localpart)
          .put("password_hash", hash.getKey())))
          .isInstanceOfSatisfying(MatrixError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errcode()).isEqualTo("M_INVALID_PARAM");
            assertThat(e.getMessage()).contains(hash.getValue());
          });
      assertError(() -> ask(AuthAddresses.ACCOUNT_GET, new JsonObject()
          .put("user_id", "@" + localpart + ":test.local")), 404, "M_NOT_FOUND");
    }
  }

  @Test
  void deactivationEndsSessionsDeletesDevicesAndBlocksSignIn() throws Exception {
    String localpart = unique("deact");
    String userId = auth.createUser(localpart, PASSWORD, false);
    OAuthTestClient oauth = auth.oauth();
    OAuthTestClient.Tokens tokens = oauth.signIn(localpart, PASSWORD);
    JsonObject devices = ask(AuthAddresses.DEVICES_LIST, new JsonObject().put("user_id", userId));
    assertThat(devices.getJsonArray("devices").size()).isEqualTo(1);
    JsonObject sessions = ask(AuthAddresses.SESSIONS_LIST, new JsonObject().put("user_id", userId));
    assertThat(sessions.getJsonArray("sessions").size()).isEqualTo(1);
    assertThat(((JsonObject) sessions.getJsonArray("sessions").getValue(0)).getString("client_name"))
        .isEqualTo("Test client");

    JsonObject deactivated = ask(AuthAddresses.ACCOUNT_DEACTIVATE, new JsonObject().put("user_id", userId).put("by", "t"));
    assertThat(deactivated.getBoolean("deactivated")).isTrue();
    assertThat(oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(401);
    assertThat(ask(AuthAddresses.DEVICES_LIST, new JsonObject().put("user_id", userId)).getJsonArray("devices")).isEmpty();
    assertThatThrownBy(() -> oauth.signIn(localpart, PASSWORD)).hasMessageContaining("sign-in failed: 401");
    assertError(() -> ask(AuthAddresses.ACCOUNT_DEACTIVATE, new JsonObject().put("user_id", userId)), 404, "M_NOT_FOUND");
  }

  @Test
  void endingOneSessionLeavesTheOthers() throws Exception {
    String localpart = unique("end");
    String userId = auth.createUser(localpart, PASSWORD, false);
    OAuthTestClient oauth = auth.oauth();
    OAuthTestClient.Tokens a = oauth.signIn(localpart, PASSWORD);
    OAuthTestClient.Tokens b = oauth.signIn(localpart, PASSWORD);
    JsonObject sessions = ask(AuthAddresses.SESSIONS_LIST, new JsonObject().put("user_id", userId));
    String sessionOfA = sessions.getJsonArray("sessions").stream().map(s -> (JsonObject) s)
        .filter(s -> s.getString("device_id").equals(a.deviceId())).findFirst().orElseThrow().getString("session_id");
    ask(AuthAddresses.SESSION_END, new JsonObject().put("user_id", userId).put("session_id", sessionOfA).put("by", "t"));
    assertThat(oauth.get("/_matrix/client/v3/account/whoami", a.accessToken()).statusCode()).isEqualTo(401);
    assertThat(oauth.get("/_matrix/client/v3/account/whoami", b.accessToken()).statusCode()).isEqualTo(200);
    assertError(() -> ask(AuthAddresses.SESSION_END, new JsonObject().put("user_id", userId)
        .put("session_id", sessionOfA)), 404, "M_NOT_FOUND");
  }

  @Test
  void settingTheAdminFlagTakesEffectOnCachedTokensAtOnce() throws Exception {
    String localpart = unique("flag");
    String userId = auth.createUser(localpart, PASSWORD, true);
    OAuthTestClient.Tokens tokens = auth.oauth().signInAsAdministrator(localpart, PASSWORD);
    ask(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId).put("admin", false));
    auth.oauth().get("/_matrix/client/v3/account/whoami", tokens.accessToken());
    assertThat(ask(AuthAddresses.RESOLVE_REQUESTER, new JsonObject().put("token", tokens.accessToken()))
        .getBoolean("admin")).isFalse();
    JsonObject promoted = ask(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId).put("admin", true));
    assertThat(promoted.getBoolean("admin")).isTrue();
    JsonObject requester = ask(AuthAddresses.RESOLVE_REQUESTER, new JsonObject().put("token", tokens.accessToken()));
    assertThat(requester.getBoolean("admin")).isTrue();
  }

  @Test
  void aThirdPartyAppAnAdministratorSignsIntoWithoutTheAdminScopeGetsNoAdminPowers() throws Exception {
    String localpart = unique("trusting");
    String userId = auth.createUser(localpart, PASSWORD, true);
    OAuthTestClient.Tokens app = auth.oauth().signIn(localpart, PASSWORD);
    JsonObject requester = ask(AuthAddresses.RESOLVE_REQUESTER, new JsonObject().put("token", app.accessToken()));
    assertThat(requester.getString("user_id")).isEqualTo(userId);
    assertThat(requester.getBoolean("admin")).as("admin flag without the admin scope").isFalse();
    // The account is still an administrator: a token it granted the admin scope has the powers.
    OAuthTestClient.Tokens tool = auth.oauth().signInAsAdministrator(localpart, PASSWORD);
    assertThat(ask(AuthAddresses.RESOLVE_REQUESTER, new JsonObject().put("token", tool.accessToken()))
        .getBoolean("admin")).isTrue();
  }

  @Test
  void removingTheAdminFlagTakesTheAdminScopeWithIt() throws Exception {
    String localpart = unique("demoted");
    String userId = auth.createUser(localpart, PASSWORD, true);
    OAuthTestClient oauth = auth.oauth();
    OAuthTestClient.Tokens tokens = oauth.signIn(oauth.registerClient(), localpart, PASSWORD, "ADMINSCOPE01",
        "urn:synapse:admin:*");
    assertThat(introspectedScope(tokens.accessToken())).contains("urn:synapse:admin:*");
    assertThat(ask(AuthAddresses.RESOLVE_REQUESTER, new JsonObject().put("token", tokens.accessToken()))
        .getBoolean("admin")).isTrue();

    ask(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId).put("admin", false));
    JsonObject requester = ask(AuthAddresses.RESOLVE_REQUESTER, new JsonObject().put("token", tokens.accessToken()));
    assertThat(requester.getBoolean("admin")).isFalse();
    assertThat(requester.getJsonArray("scopes").getList()).doesNotContain("urn:synapse:admin:*");
    assertThat(introspectedScope(tokens.accessToken())).doesNotContain("urn:synapse:admin:*")
        .contains("urn:matrix:client:api:*");
    JsonObject refreshed = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(introspectedScope(refreshed.getString("access_token"))).doesNotContain("urn:synapse:admin:*");
  }

  private static String introspectedScope(String token) throws Exception {
    return auth.client().post("/oauth2/introspect").bearerTokenAuthentication(AuthTestServer.INTROSPECTION_SECRET)
        .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("token", token)).await(10, TimeUnit.SECONDS)
        .bodyAsJsonObject().getString("scope");
  }

  private static void assertError(ThrowingCall call, int status, String errcode) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(MatrixError.class, e -> {
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.errcode()).isEqualTo(errcode);
    });
  }

  interface ThrowingCall {
    void run() throws Exception;
  }
}
