package org.gatehouse.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.SharedAuthServerTest;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.Test;

class TokenEndpointTest extends SharedAuthServerTest {
  private static HttpResponse<Buffer> token(MultiMap form) throws Exception {
    return auth.client().post("/oauth2/token").sendForm(form).await(10, TimeUnit.SECONDS);
  }

  private static void assertOAuthError(HttpResponse<Buffer> response, int status, String error) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.containsKey("errcode")).isFalse();
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void aTokenResponseIsABearerPairWithExpiryAndNoCaching() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    assertThat(tokens.accessToken()).startsWith("mat_");
    assertThat(tokens.refreshToken()).startsWith("mar_");
    assertThat(tokens.response().getString("token_type")).isEqualTo("Bearer");
    assertThat(tokens.response().getLong("expires_in")).isEqualTo(300L);
    assertThat(tokens.response().getString("scope")).contains("urn:matrix:client:device:" + tokens.deviceId());
    assertThat(whoami(tokens.accessToken())).isEqualTo(200);
    HttpResponse<Buffer> refreshed = oauth.refresh(tokens, tokens.refreshToken());
    assertThat(refreshed.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(refreshed.getHeader("Pragma")).isEqualTo("no-cache");
  }

  private static OAuthTestClient.Authorization authorize() throws Exception {
    return oauth.authorize(oauth.registerClient(), newUser(), PASSWORD, "CODEDEVICE" + System.nanoTime() % 100000, "");
  }

  @Test
  void aCodeIsSingleUseAndReplayingItEndsTheSessionItCreated() throws Exception {
    OAuthTestClient.Authorization authorization = authorize();
    OAuthTestClient.Tokens tokens = oauth.exchange(authorization);
    assertThat(whoami(tokens.accessToken())).isEqualTo(200);
    assertOAuthError(oauth.exchangeResponse(authorization, authorization.redirectUri(), authorization.verifier()),
        400, "invalid_grant");
    assertThat(whoami(tokens.accessToken())).isEqualTo(401);
    assertOAuthError(oauth.refresh(tokens, tokens.refreshToken()), 400, "invalid_grant");
  }

  @Test
  void aCodeExpiresAfterTenMinutes() throws Exception {
    OAuthTestClient.Authorization authorization = authorize();
    auth.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
    assertOAuthError(oauth.exchangeResponse(authorization, authorization.redirectUri(), authorization.verifier()),
        400, "invalid_grant");
  }

  @Test
  void aCodeNeedsTheSameRedirectUriAndTheRightVerifier() throws Exception {
    OAuthTestClient.Authorization authorization = authorize();
    assertOAuthError(oauth.exchangeResponse(authorization, "http://127.0.0.1:1/other", authorization.verifier()),
        400, "invalid_grant");
    assertOAuthError(oauth.exchangeResponse(authorization, authorization.redirectUri(), authorization.verifier() + "x"),
        400, "invalid_grant");
    OAuthTestClient.Authorization fresh = authorize();
    assertThat(oauth.exchangeResponse(fresh, fresh.redirectUri(), fresh.verifier()).statusCode()).isEqualTo(200);
  }

  @Test
  void strictClientThatOmittedRedirectUriAtAuthorizeOmitsItAtTheTokenEndpoint() throws Exception {
    // RFC 6749 §4.1.3: redirect_uri is required at the token endpoint only if the authorization request had it.
    OAuthTestClient.Authorization authorization = oauth.authorizeWithoutRedirectUri(oauth.registerClient(), newUser(),
        PASSWORD, "NOREDIRECT" + System.nanoTime() % 100000);
    assertThat(authorization.code()).isNotNull();
    HttpResponse<Buffer> tokens = oauth.exchangeResponse(authorization, null, authorization.verifier());
    assertThat(tokens.statusCode()).as(tokens.bodyAsString()).isEqualTo(200);
    assertThat(whoami(tokens.bodyAsJsonObject().getString("access_token"))).isEqualTo(200);
  }

  @Test
  void clientThatOmittedRedirectUriAtAuthorizeMaySendTheRegisteredOneButNoOther() throws Exception {
    OAuthTestClient.Authorization authorization = oauth.authorizeWithoutRedirectUri(oauth.registerClient(), newUser(),
        PASSWORD, "NOREDIRECT" + System.nanoTime() % 100000);
    assertOAuthError(oauth.exchangeResponse(authorization, "http://127.0.0.1/other", authorization.verifier()),
        400, "invalid_grant");
    assertThat(oauth.exchangeResponse(authorization, OAuthTestClient.REDIRECT, authorization.verifier()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void clientThatSentRedirectUriAtAuthorizeMustRepeatItAtTheTokenEndpoint() throws Exception {
    OAuthTestClient.Authorization authorization = authorize();
    assertOAuthError(oauth.exchangeResponse(authorization, null, authorization.verifier()), 400, "invalid_request");
    // The refusal did not use the code up.
    assertThat(oauth.exchangeResponse(authorization, authorization.redirectUri(), authorization.verifier()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void refreshRotatesToleratesALostResponseAndEndsTheSessionOnReplay() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    JsonObject second = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(second.getString("refresh_token")).isNotEqualTo(tokens.refreshToken());
    // The response was lost: the client retries with the old refresh token and gets a fresh pair.
    JsonObject retried = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(retried.getString("access_token")).isNotEqualTo(second.getString("access_token"));
    assertThat(whoami(second.getString("access_token"))).as("the lost pair is void").isEqualTo(401);
    // The new pair is used; presenting the old refresh token now is replay: the whole session ends.
    assertThat(whoami(retried.getString("access_token"))).isEqualTo(200);
    assertOAuthError(oauth.refresh(tokens, tokens.refreshToken()), 400, "invalid_grant");
    assertThat(whoami(retried.getString("access_token"))).isEqualTo(401);
    assertOAuthError(oauth.refresh(tokens, retried.getString("refresh_token")), 400, "invalid_grant");
  }

  @Test
  void thiefReissuingWithAConsumedRefreshTokenAfterTheWindowEndsTheSession() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    // The victim refreshed and went offline: the new pair is unused.
    JsonObject victims = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    auth.clock().advance(Duration.ofSeconds(61));
    assertOAuthError(oauth.refresh(tokens, tokens.refreshToken()), 400, "invalid_grant");
    assertOAuthError(oauth.refresh(tokens, victims.getString("refresh_token")), 400, "invalid_grant");
    assertThat(whoami(victims.getString("access_token"))).as("the session has ended").isEqualTo(401);
  }

  @Test
  void victimPresentingTheSuccessorAThiefsReissueRevokedEndsTheThiefsSession() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    JsonObject victims = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    // Within the window, the thief's retry with the consumed token passes for a lost response.
    JsonObject thiefs = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(whoami(thiefs.getString("access_token"))).isEqualTo(200);
    // The victim comes back with the successor the reissue revoked: replay, the session ends for both.
    assertOAuthError(oauth.refresh(tokens, victims.getString("refresh_token")), 400, "invalid_grant");
    assertThat(whoami(thiefs.getString("access_token"))).isEqualTo(401);
    assertOAuthError(oauth.refresh(tokens, thiefs.getString("refresh_token")), 400, "invalid_grant");
  }

  @Test
  void reissueDropsTheReplacedAccessTokenFromTheNearCache() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    JsonObject second = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    String secondAccess = second.getString("access_token");
    assertThat(whoami(secondAccess)).isEqualTo(200);
    assertThat(whoami(secondAccess)).as("now from the near cache").isEqualTo(200);
    // The race the reissue cannot see under its lock: the first use of the new access token is not committed yet
    // when the retry with the previous refresh token reads "unused". Played by taking the first use back.
    auth.server().pool().preparedQuery("UPDATE auth.access_tokens SET first_used_at = NULL WHERE token_hash = $1")
        .execute(io.vertx.sqlclient.Tuple.of(Buffer.buffer(org.gatehouse.auth.crypto.Digests.sha256(secondAccess))))
        .await(10, TimeUnit.SECONDS);
    JsonObject reissued = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(reissued.getString("access_token")).isNotNull();
    assertThat(whoami(secondAccess)).as("revoked and forgotten by every node").isEqualTo(401);
    assertThat(whoami(reissued.getString("access_token"))).isEqualTo(200);
  }

  @Test
  void refreshRevokesTheAccessTokenItReplaces() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    assertThat(whoami(tokens.accessToken())).isEqualTo(200);
    assertThat(whoami(tokens.accessToken())).as("now from the near cache").isEqualTo(200);
    JsonObject second = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
    assertThat(whoami(tokens.accessToken())).isEqualTo(401);
    assertThat(whoami(second.getString("access_token"))).isEqualTo(200);
  }

  @Test
  void expiredAccessTokensAskForARefreshWithSoftLogout() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    auth.clock().advance(Duration.ofMinutes(5).plusSeconds(1));
    try {
      HttpResponse<Buffer> expired = oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken());
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(expired.bodyAsJsonObject().getString("errcode")).isEqualTo("M_UNKNOWN_TOKEN");
      assertThat(expired.bodyAsJsonObject().getBoolean("soft_logout")).isTrue();
      JsonObject refreshed = oauth.refresh(tokens, tokens.refreshToken()).bodyAsJsonObject();
      assertThat(whoami(refreshed.getString("access_token"))).isEqualTo(200);
    } finally {
      auth.clock().advance(Duration.ZERO);
    }
  }

  @Test
  void refreshTokensAreBoundToTheirClient() throws Exception {
    OAuthTestClient.Tokens tokens = oauth.signIn(newUser(), PASSWORD);
    String otherClient = oauth.registerClient("Another client");
    HttpResponse<Buffer> response = token(MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token")
        .add("refresh_token", tokens.refreshToken()).add("client_id", otherClient));
    assertOAuthError(response, 400, "invalid_grant");
  }

  @Test
  void strictClientWithAWrongMethodOrPathUnderOauth2GetsAnRfc6749ErrorNotAMatrixOne() throws Exception {
    HttpResponse<Buffer> wrongMethod = auth.client().get("/oauth2/token").send().await(10, TimeUnit.SECONDS);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("error", "error_description");
    assertThat(wrongMethod.bodyAsJsonObject().getString("error")).isEqualTo("invalid_request");
    HttpResponse<Buffer> unknown = auth.client().post("/oauth2/nothing").send().await(10, TimeUnit.SECONDS);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("error", "error_description");
    assertThat(unknown.getHeader("Cache-Control")).isEqualTo("no-store");
    // Outside /oauth2/ the Matrix error model stays.
    HttpResponse<Buffer> matrix = auth.client().get("/_matrix/client/v3/nothing").send().await(10, TimeUnit.SECONDS);
    assertThat(matrix.bodyAsJsonObject().getString("errcode")).isEqualTo("M_UNRECOGNIZED");
  }

  @Test
  void badRequestsGetRfc6749Errors() throws Exception {
    assertOAuthError(token(MultiMap.caseInsensitiveMultiMap().add("client_id", "x")), 400, "invalid_request");
    assertOAuthError(token(MultiMap.caseInsensitiveMultiMap().add("grant_type", "password").add("client_id", "x")),
        400, "unsupported_grant_type");
    assertOAuthError(token(MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token")
        .add("refresh_token", "x").add("client_id", "nobody")), 401, "invalid_client");
    assertOAuthError(token(MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token")
        .add("grant_type", "refresh_token").add("client_id", "x")), 400, "invalid_request");
    HttpResponse<Buffer> json = auth.client().post("/oauth2/token").sendJsonObject(new JsonObject()
        .put("grant_type", "refresh_token")).await(10, TimeUnit.SECONDS);
    assertOAuthError(json, 400, "invalid_request");
    HttpResponse<Buffer> code = token(MultiMap.caseInsensitiveMultiMap().add("grant_type", "authorization_code")
        .add("code", "nope").add("redirect_uri", OAuthTestClient.REDIRECT).add("code_verifier", "x".repeat(43))
        .add("client_id", oauth.registerClient()));
    assertOAuthError(code, 400, "invalid_grant");
  }

  @Test
  void clientSecretBasicAndPostAuthenticateAndAWrongSecretIsA401() throws Exception {
    for (String method : List.of("client_secret_basic", "client_secret_post")) {
      JsonObject client = register(new JsonObject().put("token_endpoint_auth_method", method));
      String id = client.getString("client_id");
      String secret = client.getString("client_secret");
      // Right secret: authentication passes and the (bogus) grant is what fails.
      assertOAuthError(withSecret(method, id, secret), 400, "invalid_grant");
      HttpResponse<Buffer> wrong = withSecret(method, id, secret + "x");
      assertOAuthError(wrong, 401, "invalid_client");
      if (method.equals("client_secret_basic")) {
        assertThat(wrong.getHeader("WWW-Authenticate")).startsWith("Basic");
      } else {
        assertThat(wrong.getHeader("WWW-Authenticate")).as("no challenge unless Basic was tried").isNull();
      }
      // A client must use the method it registered.
      String otherMethod = method.equals("client_secret_basic") ? "client_secret_post" : "client_secret_basic";
      assertOAuthError(withSecret(otherMethod, id, secret), 401, "invalid_client");
    }
  }

  @Test
  void privateKeyJwtAssertionsAreVerifiedAndSingleUse() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    JsonObject client = register(new JsonObject().put("token_endpoint_auth_method", "private_key_jwt")
        .put("jwks", new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toPublicJWK().toJSONString())))));
    String id = client.getString("client_id");
    assertThat(client.containsKey("client_secret")).isFalse();
    String assertion = assertion(key, id, auth.baseUrl() + "/oauth2/token", UUID.randomUUID().toString());
    assertOAuthError(withAssertion(id, assertion), 400, "invalid_grant");
    assertOAuthError(withAssertion(id, assertion), 401, "invalid_client");
    assertOAuthError(withAssertion(id, assertion(key, id, "https://elsewhere/token", UUID.randomUUID().toString())),
        401, "invalid_client");
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    assertOAuthError(withAssertion(id, assertion(stranger, id, auth.baseUrl() + "/oauth2/token",
        UUID.randomUUID().toString())), 401, "invalid_client");
  }

  private static JsonObject register(JsonObject extra) throws Exception {
    JsonObject metadata = new JsonObject()
        .put("client_uri", "https://client.example.org/")
        .put("redirect_uris", new JsonArray().add("https://client.example.org/cb"))
        .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
        .mergeIn(extra);
    HttpResponse<Buffer> response = auth.client().post("/oauth2/registration").sendJsonObject(metadata)
        .await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> withSecret(String method, String id, String secret) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token")
        .add("refresh_token", "mar_unknownunknownunknownunknownun_000000");
    var request = auth.client().post("/oauth2/token");
    if (method.equals("client_secret_basic")) {
      request.putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes()));
    } else {
      form.add("client_id", id).add("client_secret", secret);
    }
    return request.sendForm(form).await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> withAssertion(String id, String assertion) throws Exception {
    return token(MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token")
        .add("refresh_token", "mar_unknownunknownunknownunknownun_000000").add("client_id", id)
        .add("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .add("client_assertion", assertion));
  }

  private static String assertion(ECKey key, String clientId, String audience, String jti) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
        .jwtID(jti).issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }
}
