package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A started node as published OAuth client libraries meet it: matrix-js-sdk's own OAuth helpers
 * ({@code interop/oauth-matrix-js-sdk.mjs}) and oauth4webapi with every strict check on
 * ({@code interop/oauth-oauth4webapi-strict.mjs}) discover, register, send a person through the real sign-in and
 * consent pages, exchange the code, refresh, introspect and revoke. The scripts report what the libraries saw;
 * this test asserts what a client and a homeserver would check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OAuthRealClientTest {
  static final String USERNAME = "interop";
  static final String PASSWORD = "a long interop password";
  static final String HOMESERVER_CLIENT = "homeserver";
  static final String HOMESERVER_SECRET = "homeserver-introspection-client-secret";
  /** The token format with the random part and the checksum masked, as the scripts report it. */
  static final String ACCESS_SHAPE = "mat_" + "x".repeat(30) + "_" + "x".repeat(6);
  static final String REFRESH_SHAPE = "mar_" + "x".repeat(30) + "_" + "x".repeat(6);

  TestNodes nodes;
  String baseUrl;
  String issuer;

  @BeforeAll
  void start() throws Exception {
    // Strict clients compare the issuer with the URL they started from, so the node listens where
    // public_base_url (and so the issuer) points.
    nodes = TestNodes.startOneAtItsPublicUrl(Map.of("auth", Map.of("static_clients", List.of(Map.of(
        "client_id", HOMESERVER_CLIENT, "client_secret", HOMESERVER_SECRET, "may_introspect", true)))));
    baseUrl = nodes.publicUrl();
    issuer = baseUrl + "/";
    nodes.createUser(USERNAME, PASSWORD);
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  Map<String, String> env() {
    return Map.of("GATEHOUSE_BASE_URL", baseUrl, "GATEHOUSE_USERNAME", USERNAME, "GATEHOUSE_PASSWORD", PASSWORD,
        "GATEHOUSE_INTROSPECTION_SECRET", TestNodes.INTROSPECTION_SECRET,
        "GATEHOUSE_INTROSPECTION_CLIENT_ID", HOMESERVER_CLIENT,
        "GATEHOUSE_INTROSPECTION_CLIENT_SECRET", HOMESERVER_SECRET);
  }

  @Test
  void matrixJsSdkSignsInRefreshesAndSignsOutWithItsOwnOAuthHelpers() {
    JsonObject result = NodeScript.run("oauth-matrix-js-sdk.mjs", env(), Duration.ofSeconds(120)).json();
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();

    JsonObject discovery = result.getJsonObject("discovery");
    // The SDK's first choice answered (no fallback to the deprecated auth_issuer + OpenID discovery).
    assertThat(discovery.getJsonArray("paths").getList())
        .containsExactly("/_matrix/client/unstable/org.matrix.msc2965/auth_metadata");
    assertThat(discovery.getString("issuer")).isEqualTo(issuer);
    assertThat(discovery.getInteger("signingKeys")).as(facts).isPositive();
    assertThat(discovery.getString("revocationEndpoint")).isEqualTo(baseUrl + "/oauth2/revoke");

    // The person went through the real pages: the sign-in form and the consent form were both submitted.
    JsonObject authorization = result.getJsonObject("authorization");
    assertThat(authorization.getJsonArray("steps").getList()).as(facts)
        .contains("POST /login 303", "POST /oauth2/consent 303", "-> redirect URI");
    assertThat(authorization.getString("iss")).isEqualTo(issuer);
    String deviceId = authorization.getString("requestedDeviceId");
    assertThat(deviceId).matches("[A-Za-z0-9._~-]{10,}");

    String clientId = result.getString("clientId");
    JsonObject tokens = result.getJsonObject("tokens");
    assertThat(tokens.getString("accessShape")).isEqualTo(ACCESS_SHAPE);
    assertThat(tokens.getString("refreshShape")).isEqualTo(REFRESH_SHAPE);
    assertThat(tokens.getString("tokenType")).isEqualTo("Bearer");
    JsonObject idToken = tokens.getJsonObject("idToken");
    assertThat(idToken.getString("iss")).isEqualTo(issuer);
    assertThat(idToken.getString("aud")).isEqualTo(clientId);
    assertThat(idToken.getBoolean("nonceMatches")).isTrue();
    // The SDK registers with id_token_signed_response_alg RS256 (the node's default is ES256): honoured.
    assertThat(idToken.getString("alg")).isEqualTo("RS256");

    JsonObject whoami = result.getJsonObject("whoami");
    assertThat(whoami.getInteger("status")).isEqualTo(200);
    assertThat(whoami.getString("userId")).isEqualTo("@" + USERNAME + ":test.local");
    assertThat(whoami.getString("deviceId")).as("the device the SDK put in its scope").isEqualTo(deviceId);

    JsonObject refresh = result.getJsonObject("refresh");
    assertThat(refresh.getBoolean("rotated")).as(facts).isTrue();
    assertThat(refresh.getString("accessShape")).isEqualTo(ACCESS_SHAPE);
    assertThat(refresh.getString("refreshShape")).isEqualTo(REFRESH_SHAPE);
    assertThat(refresh.getInteger("expiresInSeconds")).isBetween(250, 300);
    assertUnknownToken(refresh.getJsonObject("oldAccessToken"), "the access token replaced by the refresh", facts);
    assertThat(refresh.getJsonObject("newAccessToken").getInteger("status")).as(facts).isEqualTo(200);
    assertThat(refresh.getJsonObject("newAccessToken").getString("userId")).isEqualTo(whoami.getString("userId"));
    assertThat(refresh.getJsonObject("newAccessToken").getString("deviceId")).isEqualTo(deviceId);

    // Revoking the access token ended the whole session: the refresh token is refused with an OAuth error,
    // which the SDK turns into a logout (not a retry); revoking the dead refresh token still answers 200.
    JsonObject revocation = result.getJsonObject("revocation");
    assertUnknownToken(revocation.getJsonObject("accessToken"), "the revoked access token", facts);
    assertUnknownToken(revocation.getJsonObject("firstAccessToken"), "the first access token", facts);
    assertThat(revocation.getJsonObject("refresh").getBoolean("refused")).as(facts).isTrue();
    assertThat(revocation.getJsonObject("refresh").getBoolean("logout")).as(facts).isTrue();
    assertThat(revocation.getString("refreshTokenRevocation")).isEqualTo("accepted");
    System.out.println("matrix-js-sdk OAuth result: " + result.encode());
  }

  @Test
  void oauth4webapiWithStrictChecksCompletesEveryStepAndRefusesWhatItMust() {
    JsonObject result = NodeScript.run("oauth-oauth4webapi-strict.mjs", env(), Duration.ofSeconds(120)).json();
    String facts = result.encodePrettily();
    assertThat(result.getBoolean("ok")).as(facts).isTrue();

    assertThat(result.getJsonObject("discovery").getString("issuer")).isEqualTo(issuer);
    assertThat(result.getJsonObject("discovery").getBoolean("issResponseParameter")).isTrue();
    JsonObject authorization = result.getJsonObject("authorization");
    assertThat(authorization.getJsonArray("steps").getList()).as(facts)
        .contains("POST /login 303", "POST /oauth2/consent 303", "-> redirect URI");
    assertThat(authorization.getString("iss")).isEqualTo(issuer);

    String clientId = result.getString("clientId");
    String deviceId = result.getString("deviceId");
    JsonObject tokens = result.getJsonObject("tokens");
    assertThat(tokens.getString("accessShape")).isEqualTo(ACCESS_SHAPE);
    assertThat(tokens.getString("refreshShape")).isEqualTo(REFRESH_SHAPE);
    assertThat(tokens.getString("tokenType")).isEqualTo("bearer");
    assertThat(tokens.getInteger("expiresIn")).isEqualTo(300);
    assertThat(tokens.getString("scope").split(" "))
        .contains("openid", "urn:matrix:client:api:*", "urn:matrix:client:device:" + deviceId);

    JsonObject idToken = result.getJsonObject("idToken");
    assertThat(idToken.getString("iss")).isEqualTo(issuer);
    assertThat(idToken.getString("aud")).isEqualTo(clientId);
    assertThat(idToken.getBoolean("nonceMatches")).isTrue();
    assertThat(idToken.getBoolean("signatureValidated")).isTrue();
    assertThat(idToken.getString("alg")).isEqualTo("ES256");
    assertThat(result.getJsonObject("userinfo").getString("sub")).isEqualTo(idToken.getString("sub"));

    JsonObject refresh = result.getJsonObject("refresh");
    assertThat(refresh.getBoolean("rotated")).isTrue();
    assertThat(refresh.getString("accessShape")).isEqualTo(ACCESS_SHAPE);
    assertThat(refresh.getString("refreshShape")).isEqualTo(REFRESH_SHAPE);

    // Introspection as the homeserver reads it.
    JsonObject introspection = result.getJsonObject("introspection");
    for (String key : List.of("access", "accessAsClient")) {
      JsonObject access = introspection.getJsonObject(key);
      assertThat(access.getBoolean("active")).as(key + "\n" + facts).isTrue();
      assertThat(access.getString("username")).isEqualTo(USERNAME);
      assertThat(access.getString("device_id")).isEqualTo(deviceId);
      assertThat(access.getString("client_id")).isEqualTo(clientId);
      assertThat(access.getString("sub")).isNotBlank();
      assertThat(access.getString("token_type")).isEqualTo("Bearer");
      assertThat(access.getString("scope").split(" ")).contains("urn:matrix:client:api:*");
      assertThat(access.getLong("expires_in")).isBetween(250L, 300L);
      assertThat(access.getLong("exp") - access.getLong("iat")).isEqualTo(300L);
    }
    JsonObject refreshToken = introspection.getJsonObject("refresh");
    assertThat(refreshToken.getBoolean("active")).as(facts).isTrue();
    assertThat(refreshToken.getString("device_id")).isEqualTo(deviceId);
    assertThat(introspection.getJsonObject("consumedRefresh").getBoolean("active")).as(facts).isFalse();
    assertThat(introspection.getJsonObject("previousAccess").getBoolean("active")).as(facts).isFalse();
    assertRejected(introspection.getJsonObject("wrongSecret"), "OAUTH_RESPONSE_BODY_ERROR", facts);
    assertThat(introspection.getJsonObject("wrongSecret").getString("error")).isEqualTo("invalid_client");

    // Revoking the refresh token ended the session: both tokens introspect inactive, the refresh grant fails.
    JsonObject afterRevocation = result.getJsonObject("afterRevocation");
    assertThat(afterRevocation.getJsonObject("access")).as(facts).isEqualTo(new JsonObject().put("active", false));
    assertThat(afterRevocation.getJsonObject("refresh")).as(facts).isEqualTo(new JsonObject().put("active", false));
    assertRejected(afterRevocation.getJsonObject("refreshGrant"), "OAUTH_RESPONSE_BODY_ERROR", facts);
    assertThat(afterRevocation.getJsonObject("refreshGrant").getString("error")).isEqualTo("invalid_grant");

    // What the strict library refuses against this server's real answers.
    JsonObject strict = result.getJsonObject("strictChecks");
    assertRejected(strict.getJsonObject("wrongIssuer"), "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED", facts);
    assertRejected(strict.getJsonObject("mixUp"), "OAUTH_INVALID_RESPONSE", facts);
    assertRejected(strict.getJsonObject("wrongState"), "OAUTH_INVALID_RESPONSE", facts);
    System.out.println("oauth4webapi result: " + result.encode());
  }

  private static void assertUnknownToken(JsonObject whoami, String what, String facts) {
    assertThat(whoami.getInteger("status")).as(what + "\n" + facts).isEqualTo(401);
    assertThat(whoami.getString("errcode")).as(what + "\n" + facts).isEqualTo("M_UNKNOWN_TOKEN");
  }

  private static void assertRejected(JsonObject rejection, String code, String facts) {
    assertThat(rejection.getBoolean("rejected")).as(facts).isTrue();
    assertThat(rejection.getString("code")).as(facts).isEqualTo(code);
  }
}
