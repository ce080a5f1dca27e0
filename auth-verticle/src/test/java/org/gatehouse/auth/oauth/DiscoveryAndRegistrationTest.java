package org.gatehouse.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.AuthTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiscoveryAndRegistrationTest {
  static AuthTestServer auth;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start();
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return auth.client().get(path).send().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> register(JsonObject metadata) throws Exception {
    return auth.client().post("/oauth2/registration").sendJsonObject(metadata).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject publicClient() {
    return new JsonObject()
        .put("client_name", "My App")
        .put("client_name#fr", "Mon application")
        .put("client_uri", "https://example.com/")
        .put("logo_uri", "https://example.com/logo.png")
        .put("redirect_uris", new JsonArray().add("https://app.example.com/callback"))
        .put("token_endpoint_auth_method", "none")
        .put("response_types", new JsonArray().add("code"))
        .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token")
            .add("urn:ietf:params:oauth:grant-type:token-exchange"))
        .put("application_type", "web");
  }

  @Test
  void theSameMetadataIsServedAtAllFourPathsWithCacheHeaders() throws Exception {
    JsonObject first = null;
    for (String path : AuthPaths.METADATA) {
      HttpResponse<Buffer> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.getHeader("Cache-Control")).isEqualTo("public, max-age=300");
      if (first == null) {
        first = response.bodyAsJsonObject();
      } else {
        assertThat(response.bodyAsJsonObject()).as(path).isEqualTo(first);
      }
    }
  }

  @Test
  void metadataHasEveryFieldMatrixClientsValidate() throws Exception {
    JsonObject m = get("/_matrix/client/v1/auth_metadata").bodyAsJsonObject();
    assertThat(m.getString("issuer")).isEqualTo(auth.baseUrl() + "/");
    for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "revocation_endpoint",
        "registration_endpoint", "introspection_endpoint", "jwks_uri", "userinfo_endpoint")) {
      assertThat(m.getString(endpoint)).as(endpoint).startsWith(auth.baseUrl() + "/");
    }
    assertThat(m.getJsonArray("response_types_supported").getList()).contains("code");
    assertThat(m.getJsonArray("response_modes_supported").getList()).contains("query", "fragment");
    assertThat(m.getJsonArray("grant_types_supported").getList()).contains("authorization_code", "refresh_token");
    assertThat(m.getJsonArray("code_challenge_methods_supported").getList()).containsExactly("S256");
    assertThat(m.getJsonArray("token_endpoint_auth_methods_supported").getList())
        .contains("none", "client_secret_basic", "client_secret_post", "private_key_jwt");
    assertThat(m.getJsonArray("scopes_supported").getList()).contains("openid", "urn:matrix:client:api:*");
    assertThat(m.getBoolean("authorization_response_iss_parameter_supported")).isTrue();
    assertThat(m.getJsonArray("prompt_values_supported").getList()).doesNotContain("create");
    assertThat(m.getJsonArray("id_token_signing_alg_values_supported").getList()).contains("ES256", "RS256");
  }

  @Test
  void strictClientFindsNoAssertionAlgorithmTheServerCannotVerify() throws Exception {
    JsonObject m = get("/_matrix/client/v1/auth_metadata").bodyAsJsonObject();
    for (String field : List.of("token_endpoint_auth_signing_alg_values_supported",
        "revocation_endpoint_auth_signing_alg_values_supported",
        "introspection_endpoint_auth_signing_alg_values_supported")) {
      assertThat(m.getJsonArray(field).getList()).as(field).contains("ES256", "RS256").doesNotContain("EdDSA");
    }
  }

  @Test
  void clientRegisteringAnEd25519KeyForPrivateKeyJwtIsRefused() throws Exception {
    java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    String x = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    JsonObject okp = new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", x).put("kid", "ed");
    HttpResponse<Buffer> response = register(publicClient().put("token_endpoint_auth_method", "private_key_jwt")
        .put("jwks", new JsonObject().put("keys", new JsonArray().add(okp))));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("invalid_client_metadata");
    assertThat(response.bodyAsJsonObject().getString("error_description")).contains("OKP");
  }

  @Test
  void theHomeserverFindsIssuerAndAccountManagementUriInOpenidConfiguration() throws Exception {
    // Synapse loads {endpoint}/.well-known/openid-configuration and requires both as strings: without either,
    // every request that needs the metadata fails with a 500.
    HttpResponse<Buffer> response = get("/.well-known/openid-configuration");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject m = response.bodyAsJsonObject();
    assertThat(m.getValue("issuer")).isEqualTo(auth.baseUrl() + "/");
    assertThat(m.getValue("account_management_uri")).isEqualTo(auth.baseUrl() + "/account");
  }

  @Test
  void jwksPublishesPublicKeysOnly() throws Exception {
    JsonArray keys = get("/oauth2/keys.json").bodyAsJsonObject().getJsonArray("keys");
    assertThat(keys.size()).isGreaterThanOrEqualTo(2);
    for (Object key : keys) {
      JsonObject k = (JsonObject) key;
      assertThat(k.getString("kid")).isNotBlank();
      assertThat(k.containsKey("d")).as("private part").isFalse();
    }
  }

  @Test
  void registrationAnswers201WithTheRegisteredMetadataAndIgnoresUnknownTypes() throws Exception {
    HttpResponse<Buffer> response = register(publicClient());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("client_id")).isNotBlank();
    assertThat(body.getString("client_name#fr")).isEqualTo("Mon application");
    assertThat(body.getJsonArray("grant_types").getList()).containsExactly("authorization_code", "refresh_token");
    assertThat(body.containsKey("client_secret")).isFalse();
  }

  @Test
  void identicalPublicRegistrationsShareOneClientId() throws Exception {
    JsonObject metadata = publicClient().put("client_name", "Dedup " + System.nanoTime());
    String first = register(metadata).bodyAsJsonObject().getString("client_id");
    String second = register(metadata.copy()).bodyAsJsonObject().getString("client_id");
    String different = register(metadata.copy().put("client_name", "Other " + System.nanoTime()))
        .bodyAsJsonObject().getString("client_id");
    assertThat(second).isEqualTo(first);
    assertThat(different).isNotEqualTo(first);
  }

  @Test
  void confidentialClientsGetASecretThatNeverExpiresAndNoDedup() throws Exception {
    JsonObject metadata = publicClient().put("token_endpoint_auth_method", "client_secret_basic");
    JsonObject a = register(metadata).bodyAsJsonObject();
    JsonObject b = register(metadata).bodyAsJsonObject();
    assertThat(a.getString("client_secret")).hasSizeGreaterThanOrEqualTo(32);
    assertThat(a.getLong("client_secret_expires_at")).isZero();
    assertThat(b.getString("client_id")).isNotEqualTo(a.getString("client_id"));
  }

  @Test
  void badRegistrationsGetRfc7591ErrorsNotMatrixErrors() throws Exception {
    HttpResponse<Buffer> badRedirect = register(publicClient().put("redirect_uris",
        new JsonArray().add("http://example.com/callback")));
    assertThat(badRedirect.statusCode()).isEqualTo(400);
    assertThat(badRedirect.bodyAsJsonObject().getString("error")).isEqualTo("invalid_redirect_uri");
    assertThat(badRedirect.bodyAsJsonObject().containsKey("errcode")).isFalse();

    HttpResponse<Buffer> notJson = auth.client().post("/oauth2/registration").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{nope")).await(10, TimeUnit.SECONDS);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject().getString("error")).isEqualTo("invalid_client_metadata");

    HttpResponse<Buffer> noClientUri = register(publicClient().put("client_uri", null));
    assertThat(noClientUri.bodyAsJsonObject().getString("error")).isEqualTo("invalid_client_metadata");
  }
}
