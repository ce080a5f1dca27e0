package org.gatehouse.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.SharedAuthServerTest;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RevocationAndIntrospectionTest extends SharedAuthServerTest {
  @BeforeAll
  static void keeper() throws Exception {
    // The administrators the tests demote are never the last one, which could not be demoted.
    auth.createUser("keeper", PASSWORD, true);
  }

  private static HttpResponse<Buffer> revoke(MultiMap form) throws Exception {
    return auth.client().post("/oauth2/revoke").sendForm(form).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject introspect(String token) throws Exception {
    return introspect(token, "access_token");
  }

  /** Introspection with the shared secret and {@code hint} as {@code token_type_hint} (null: none). */
  private static JsonObject introspect(String token, String hint) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("token", token);
    if (hint != null) {
      form.add("token_type_hint", hint);
    }
    HttpResponse<Buffer> response = auth.client().post("/oauth2/introspect")
        .putHeader("Authorization", "Bearer " + AuthTestServer.INTROSPECTION_SECRET)
        .sendForm(form).await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** The request exactly as Synapse sends it ({@code synapse/api/auth/mas.py}). */
  private static JsonObject introspectAsSynapse(String token) throws Exception {
    HttpResponse<Buffer> response = auth.client().post("/oauth2/introspect")
        .putHeader("Accept", "application/json")
        .putHeader("Authorization", "Bearer " + AuthTestServer.INTROSPECTION_SECRET)
        .putHeader("X-MAS-Supports-Device-Id", "1")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_type_hint", "access_token"))
        .await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  void revokingEitherTokenEndsTheWholeSessionAndItsDevice() throws Exception {
    String user = newUser();
    String client = oauth.registerClient();
    OAuthTestClient.Tokens kept = oauth.signIn(client, user, PASSWORD, "KEPTDEVICE01", "");
    for (String which : List.of("access", "refresh")) {
      OAuthTestClient.Tokens tokens = oauth.signIn(client, user, PASSWORD, "GONEDEVICE" + which.length(), "");
      List<JsonObject> deleted = new CopyOnWriteArrayList<>();
      var consumer = auth.server().vertx().eventBus().<JsonObject>consumer(AuthFacts.DeviceDeleted.ADDRESS,
          m -> deleted.add(m.body()));
      consumer.completion().await(10, TimeUnit.SECONDS);
      String token = which.equals("access") ? tokens.accessToken() : tokens.refreshToken();
      HttpResponse<Buffer> response = revoke(MultiMap.caseInsensitiveMultiMap().add("token", token)
          .add("client_id", client));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(whoami(tokens.accessToken())).isEqualTo(401);
      assertThat(oauth.refresh(tokens, tokens.refreshToken()).statusCode()).isEqualTo(400);
      assertThat(oauth.get("/_matrix/client/v3/devices/" + tokens.deviceId(), kept.accessToken()).statusCode())
          .isEqualTo(404);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> deleted.size() == 1);
      assertThat(deleted.get(0).getString("device_id")).isEqualTo(tokens.deviceId());
      consumer.unregister();
    }
    assertThat(whoami(kept.accessToken())).isEqualTo(200);
  }

  @Test
  void unknownTokensAndForeignClientIdsStillAnswer200AndStillRevoke() throws Exception {
    assertThat(revoke(MultiMap.caseInsensitiveMultiMap().add("token", "garbage")).statusCode()).isEqualTo(200);
    assertThat(revoke(MultiMap.caseInsensitiveMultiMap().add("token", "mat_" + "A".repeat(30) + "_000000"))
        .statusCode()).isEqualTo(200);
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    // A secret scanner revokes a leaked token with no client credentials at all.
    assertThat(revoke(MultiMap.caseInsensitiveMultiMap().add("token", tokens.accessToken())
        .add("client_id", "someone-else")).statusCode()).isEqualTo(200);
    assertThat(whoami(tokens.accessToken())).isEqualTo(401);
  }

  @Test
  void clientSendingAnUnknownTokenTypeHintStillRevokes() throws Exception {
    for (String hint : List.of("pct", "urn:example:whatever", "id_token")) {
      OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
      HttpResponse<Buffer> response = revoke(MultiMap.caseInsensitiveMultiMap().add("token", tokens.refreshToken())
          .add("token_type_hint", hint));
      assertThat(response.statusCode()).as(hint).isEqualTo(200);
      assertThat(whoami(tokens.accessToken())).as(hint).isEqualTo(401);
    }
  }

  @Test
  void presentedClientCredentialsMustBeRight() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    HttpResponse<Buffer> response = auth.client().post("/oauth2/revoke")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((AuthTestServer.STATIC_CLIENT
            + ":wrong").getBytes()))
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", tokens.accessToken())).await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("invalid_client");
    assertThat(whoami(tokens.accessToken())).isEqualTo(200);
  }

  @Test
  void introspectionDescribesActiveTokensForTheHomeserver() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = oauth.signIn(user, PASSWORD);
    JsonObject answer = introspect(tokens.accessToken());
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("username")).isEqualTo(user);
    assertThat(answer.getString("device_id")).isEqualTo(tokens.deviceId());
    assertThat(answer.getString("client_id")).isEqualTo(tokens.clientId());
    assertThat(answer.getString("scope")).contains("urn:matrix:client:api:*");
    assertThat(answer.getString("sub")).isNotBlank();
    assertThat(answer.getString("token_type")).isEqualTo("Bearer");
    assertThat(answer.getLong("expires_in")).isBetween(1L, 300L);
    assertThat(answer.getLong("exp") - answer.getLong("iat")).isEqualTo(300L);
    assertThat(answer.getBoolean("org.gatehouse.suspended")).isFalse();
    JsonObject refresh = introspect(tokens.refreshToken(), null);
    assertThat(refresh.getBoolean("active")).isTrue();
    assertThat(refresh.getString("token_type")).isEqualTo("refresh_token");
  }

  @Test
  void refreshTokenPresentedAsBearerIsInactiveForTheHomeserver() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    assertThat(introspectAsSynapse(tokens.refreshToken())).isEqualTo(new JsonObject().put("active", false));
    // The answer is about what the token was presented as: the refresh token itself still works where it belongs.
    assertThat(oauth.refresh(tokens, tokens.refreshToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void accessTokenIntrospectedAsARefreshTokenIsInactiveAndNotCountedAsUsed() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    JsonObject second = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(introspect(second.getString("access_token"), "refresh_token"))
        .isEqualTo(new JsonObject().put("active", false));
    // Not a use of the new access token: the first refresh token presented again is a lost response, not replay.
    assertThat(oauth.refresh(tokens, tokens.refreshToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownTokenTypeHintIsIgnored() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    for (String hint : List.of("pct", "urn:example:whatever")) {
      assertThat(introspect(tokens.accessToken(), hint).getString("token_type")).as(hint).isEqualTo("Bearer");
      assertThat(introspect(tokens.refreshToken(), hint).getString("token_type")).as(hint).isEqualTo("refresh_token");
    }
  }

  @Test
  void refreshTokenIntrospectedWithoutAHintNamesNoScopeAResourceServerWouldAccept() throws Exception {
    // A resource server that sends no hint must not take a refresh token for a never-expiring Matrix API token:
    // the answer has no expires_in (the homeserver would read "never expires") and so no scope either.
    String user = newUser();
    OAuthTestClient.Tokens tokens = oauth.signIn(oauth.registerClient(), user, PASSWORD, "NOHINTDEVICE", "openid");
    JsonObject refresh = introspect(tokens.refreshToken(), null);
    assertThat(refresh.getBoolean("active")).isTrue();
    assertThat(refresh.getString("token_type")).isEqualTo("refresh_token");
    assertThat(refresh.getString("username")).isEqualTo(user);
    assertThat(refresh.getString("client_id")).isEqualTo(tokens.clientId());
    assertThat(refresh.getString("device_id")).isEqualTo("NOHINTDEVICE");
    assertThat(refresh.containsKey("expires_in")).isFalse();
    assertThat(refresh.containsKey("scope")).isFalse();
    // The client still gets its whole scope from the token endpoint.
    assertThat(oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject().getString("scope"))
        .isEqualTo(tokens.response().getString("scope"));
  }

  private static final String API_STABLE = "urn:matrix:client:api:*";
  private static final String API_UNSTABLE = "urn:matrix:org.matrix.msc2967.client:api:*";
  private static final String DEVICE_STABLE = "urn:matrix:client:device:";
  private static final String DEVICE_UNSTABLE = "urn:matrix:org.matrix.msc2967.client:device:";

  @Test
  void aStableScopeTokenIsAcceptedByAHomeserverThatReadsOnlyTheUnstableForm() throws Exception {
    // Synapse 1.136 and 1.137 look for urn:matrix:org.matrix.msc2967.client:api:* only.
    OAuthTestClient.Tokens tokens = oauth.signInWithScope(oauth.registerClient(), newUser(), PASSWORD, "STABLEONLY01",
        API_STABLE + " " + DEVICE_STABLE + "STABLEONLY01");
    assertThat(introspectAsSynapse(tokens.accessToken()).getString("scope")).isEqualTo(String.join(" ",
        API_STABLE, API_UNSTABLE, DEVICE_STABLE + "STABLEONLY01", DEVICE_UNSTABLE + "STABLEONLY01"));
    assertThat(tokens.response().getString("scope")).isEqualTo(API_STABLE + " " + DEVICE_STABLE + "STABLEONLY01");
  }

  @Test
  void anUnstableScopeTokenIsAcceptedByAHomeserverThatReadsOnlyTheStableForm() throws Exception {
    String asked = API_UNSTABLE + " " + DEVICE_UNSTABLE + "UNSTABLEONLY";
    OAuthTestClient.Tokens tokens = oauth.signInWithScope(oauth.registerClient(), newUser(), PASSWORD, "UNSTABLEONLY",
        asked);
    assertThat(introspectAsSynapse(tokens.accessToken()).getString("scope")).isEqualTo(String.join(" ",
        API_STABLE, API_UNSTABLE, DEVICE_STABLE + "UNSTABLEONLY", DEVICE_UNSTABLE + "UNSTABLEONLY"));
    // The client is told what it asked for, at sign-in and at refresh: only the homeserver's answer has both forms.
    assertThat(tokens.response().getString("scope")).isEqualTo(asked);
    assertThat(oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject().getString("scope")).isEqualTo(asked);
  }

  @Test
  void aDemotedAdminsTokenNamesBothMatrixFormsAndNoLongerTheAdminScope() throws Exception {
    String user = newUser();
    String userId = auth.createUser(user + "-admin", PASSWORD, true);
    String asked = "openid " + API_UNSTABLE + " urn:synapse:admin:* " + DEVICE_STABLE + "ADMINBOTH01";
    OAuthTestClient.Tokens tokens = oauth.signInWithScope(oauth.registerClient(), user + "-admin", PASSWORD,
        "ADMINBOTH01", asked);
    assertThat(introspectAsSynapse(tokens.accessToken()).getString("scope")).isEqualTo(String.join(" ", "openid",
        API_STABLE, API_UNSTABLE, "urn:synapse:admin:*", DEVICE_STABLE + "ADMINBOTH01", DEVICE_UNSTABLE + "ADMINBOTH01"));
    auth.server().vertx().eventBus().request(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId)
        .put("admin", false)).await(10, TimeUnit.SECONDS);
    assertThat(introspectAsSynapse(tokens.accessToken()).getString("scope")).isEqualTo(String.join(" ", "openid",
        API_STABLE, API_UNSTABLE, DEVICE_STABLE + "ADMINBOTH01", DEVICE_UNSTABLE + "ADMINBOTH01"));
  }

  @Test
  void theHomeserverReadsAnIntegerExpiresInTheLocalpartAndTheDeviceOfAnActiveAccessToken() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = oauth.signIn(user, PASSWORD);
    JsonObject answer = introspectAsSynapse(tokens.accessToken());
    assertThat(answer.getBoolean("active")).isTrue();
    // Synapse reads expires_in as a StrictInt (absent would mean "never expires"), username as the localpart.
    assertThat(answer.getValue("expires_in")).isInstanceOfAny(Integer.class, Long.class);
    long expiresIn = answer.getLong("expires_in");
    assertThat(expiresIn).isBetween(299L, 300L);
    assertThat(answer.getString("username")).isEqualTo(user);
    assertThat(answer.getString("device_id")).isEqualTo(tokens.deviceId());
    // It counts down in whole seconds, never below 0, and the token is inactive once it is over.
    auth.clock().advance(Duration.ofMillis(expiresIn * 1000 - 500));
    JsonObject last = introspectAsSynapse(tokens.accessToken());
    assertThat(last.getBoolean("active")).isTrue();
    assertThat(last.getValue("expires_in")).isInstanceOfAny(Integer.class, Long.class);
    assertThat(last.getLong("expires_in")).isBetween(0L, 1L);
    auth.clock().advance(Duration.ofMillis(1500));
    assertThat(introspectAsSynapse(tokens.accessToken())).isEqualTo(new JsonObject().put("active", false));
  }

  @Test
  void theHomeserverAnnouncingDeviceIdSupportGetsTheDeviceIdAndCallersWithoutTheHeaderStillDo() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    assertThat(introspectAsSynapse(tokens.accessToken()).getString("device_id")).isEqualTo(tokens.deviceId());
    // Without X-MAS-Supports-Device-Id the reference service leaves the device to the scope; existing callers of
    // this server (the oauth4webapi interop script among them) read device_id without sending it, so it stays.
    JsonObject withoutHeader = introspect(tokens.accessToken());
    assertThat(withoutHeader.getString("device_id")).isEqualTo(tokens.deviceId());
    assertThat(withoutHeader.getString("scope").split(" ")).contains("urn:matrix:client:device:" + tokens.deviceId(),
        "urn:matrix:org.matrix.msc2967.client:device:" + tokens.deviceId());
  }

  @Test
  void anIntrospectedAccessTokenCountsAsUsedForRefreshReplayDetection() throws Exception {
    // Where the homeserver delegates, clients present their tokens to it and it introspects them: Gatehouse never
    // sees the use itself. A consumed refresh token presented after the new access token was introspected is
    // replay (the session ends), not a lost response (which would hand out a fresh pair).
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    JsonObject second = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(introspect(second.getString("access_token")).getBoolean("active")).isTrue();
    HttpResponse<Buffer> replayed = oauth.refresh(tokens, tokens.refreshToken());
    assertThat(replayed.statusCode()).isEqualTo(400);
    assertThat(replayed.bodyAsJsonObject().getString("error")).isEqualTo("invalid_grant");
    assertThat(introspect(second.getString("access_token")).getBoolean("active")).isFalse();
  }

  @Test
  void revokedExpiredLockedAndDeactivatedTokensAreInactiveAndSuspensionIsReported() throws Exception {
    String user = newUser();
    String userId = "@" + user + ":test.local";
    OAuthTestClient.Tokens tokens = oauth.signIn(user, PASSWORD);
    auth.setStatus(userId, true, false);
    JsonObject suspended = introspect(tokens.accessToken());
    assertThat(suspended.getBoolean("active")).isTrue();
    assertThat(suspended.getBoolean("org.gatehouse.suspended")).isTrue();
    auth.setStatus(userId, false, true);
    assertThat(introspect(tokens.accessToken())).isEqualTo(new JsonObject().put("active", false));
    auth.setStatus(userId, false, false);
    assertThat(introspect(tokens.accessToken()).getBoolean("active")).isTrue();

    auth.server().vertx().eventBus().request(AuthAddresses.ACCOUNT_DEACTIVATE, new JsonObject().put("user_id", userId)
        .put("by", "test")).await(10, TimeUnit.SECONDS);
    assertThat(introspect(tokens.accessToken()).getBoolean("active")).isFalse();

    OAuthTestClient.Tokens other = oauth.signIn(newUser(), PASSWORD);
    revoke(MultiMap.caseInsensitiveMultiMap().add("token", other.refreshToken()));
    assertThat(introspect(other.accessToken()).getBoolean("active")).isFalse();
    assertThat(introspect("nonsense").getBoolean("active")).isFalse();

    OAuthTestClient.Tokens expiring = oauth.signIn(newUser(), PASSWORD);
    auth.clock().advance(Duration.ofMinutes(6));
    assertThat(introspect(expiring.accessToken()).getBoolean("active")).isFalse();
  }

  @Test
  void onlyTheSharedSecretOrAnAllowedClientMayIntrospect() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("token", tokens.accessToken());
    HttpResponse<Buffer> wrongSecret = auth.client().post("/oauth2/introspect").putHeader("Authorization", "Bearer nope")
        .sendForm(form).await(10, TimeUnit.SECONDS);
    assertThat(wrongSecret.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> staticClient = auth.client().post("/oauth2/introspect")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((AuthTestServer.STATIC_CLIENT + ":"
            + AuthTestServer.STATIC_SECRET).getBytes()))
        .sendForm(form).await(10, TimeUnit.SECONDS);
    assertThat(staticClient.statusCode()).isEqualTo(200);
    assertThat(staticClient.bodyAsJsonObject().getBoolean("active")).isTrue();
    HttpResponse<Buffer> publicClient = auth.client().post("/oauth2/introspect")
        .sendForm(MultiMap.caseInsensitiveMultiMap().addAll(form).add("client_id", tokens.clientId()))
        .await(10, TimeUnit.SECONDS);
    assertThat(publicClient.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> nobody = auth.client().post("/oauth2/introspect").sendForm(form).await(10, TimeUnit.SECONDS);
    assertThat(nobody.statusCode()).isEqualTo(401);
  }

  @Test
  void idTokensAreSignedByAPublishedKeyAndCarryTheRequestsNonce() throws Exception {
    String user = newUser();
    JWKSet jwks = JWKSet.parse(auth.client().get("/oauth2/keys.json").send().await(10, TimeUnit.SECONDS).bodyAsString());
    for (String alg : List.of("ES256", "RS256")) {
      JsonObject metadata = new JsonObject().put("client_name", "OIDC " + alg).put("client_uri", "https://rp.example.org/")
          .put("application_type", "native").put("redirect_uris", new JsonArray().add(OAuthTestClient.REDIRECT))
          .put("token_endpoint_auth_method", "none")
          .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
          .put("id_token_signed_response_alg", alg);
      String client = auth.client().post("/oauth2/registration").sendJsonObject(metadata).await(10, TimeUnit.SECONDS)
          .bodyAsJsonObject().getString("client_id");
      OAuthTestClient.Tokens tokens = oauth.signIn(client, user, PASSWORD, "OIDCDEVICE" + alg, "openid");
      SignedJWT idToken = SignedJWT.parse(tokens.response().getString("id_token"));
      assertThat(idToken.getHeader().getAlgorithm().getName()).isEqualTo(alg);
      JWK key = jwks.getKeyByKeyId(idToken.getHeader().getKeyID());
      assertThat(key).isNotNull();
      boolean verified = alg.equals("ES256") ? idToken.verify(new ECDSAVerifier((ECKey) key))
          : idToken.verify(new RSASSAVerifier((RSAKey) key));
      assertThat(verified).isTrue();
      var claims = idToken.getJWTClaimsSet();
      assertThat(claims.getIssuer()).isEqualTo(auth.baseUrl() + "/");
      assertThat(claims.getAudience()).containsExactly(client);
      assertThat(claims.getClaim("at_hash")).isEqualTo(IdTokens.leftHalfHash(tokens.accessToken()));

      HttpResponse<Buffer> userinfo = oauth.get("/oauth2/userinfo", tokens.accessToken());
      assertThat(userinfo.statusCode()).isEqualTo(200);
      assertThat(userinfo.bodyAsJsonObject().getString("sub")).isEqualTo(claims.getSubject());
      assertThat(userinfo.bodyAsJsonObject().getString("preferred_username")).isEqualTo(user);
    }
    HttpResponse<Buffer> noOpenid = oauth.get("/oauth2/userinfo", oauth.signIn(newUser(), PASSWORD).accessToken());
    assertThat(noOpenid.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> bad = oauth.get("/oauth2/userinfo", "mat_bad");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.getHeader("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
  }

  @Test
  void aLockedAccountsAppCannotReadUserinfoUntilUnlocked() throws Exception {
    String user = newUser();
    String userId = "@" + user + ":test.local";
    OAuthTestClient.Tokens tokens = oauth.signIn(oauth.registerClient(), user, PASSWORD, "LOCKEDOIDC01", "openid");
    assertThat(oauth.get("/oauth2/userinfo", tokens.accessToken()).statusCode()).isEqualTo(200);
    auth.setStatus(userId, false, true);
    HttpResponse<Buffer> locked = oauth.get("/oauth2/userinfo", tokens.accessToken());
    assertThat(locked.statusCode()).isEqualTo(401);
    assertThat(locked.getHeader("WWW-Authenticate"))
        .isEqualTo("Bearer error=\"invalid_token\", error_description=\"the account is locked\"");
    assertThat(locked.bodyAsString()).as("an RFC 6750 challenge, no Matrix body").isNullOrEmpty();
    auth.setStatus(userId, false, false);
    assertThat(oauth.get("/oauth2/userinfo", tokens.accessToken()).statusCode()).isEqualTo(200);
  }
}
