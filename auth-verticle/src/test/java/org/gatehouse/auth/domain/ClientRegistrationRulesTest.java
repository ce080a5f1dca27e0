package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import org.gatehouse.auth.domain.RegistrationRejected.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MSC2966's rules, with every valid and invalid example of the proposal (client URI https://example.com/). */
class ClientRegistrationRulesTest {
  private static JsonObject request(String applicationType, String... redirects) {
    return new JsonObject()
        .put("client_uri", "https://example.com/")
        .put("application_type", applicationType)
        .put("redirect_uris", new JsonArray(List.of(redirects)))
        .put("token_endpoint_auth_method", "none")
        .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
        .put("response_types", new JsonArray().add("code"));
  }

  /** The metadata registered for {@code request}, which the rules must accept. */
  private static ClientMetadata accepted(JsonObject request) {
    ClientRegistrationRules.Outcome outcome = ClientRegistrationRules.validate(request);
    assertThat(outcome).isInstanceOf(ClientRegistrationRules.Accepted.class);
    return ((ClientRegistrationRules.Accepted) outcome).metadata();
  }

  /** Why the rules refuse {@code request}, which they must. */
  private static RegistrationRejected rejected(JsonObject request) {
    ClientRegistrationRules.Outcome outcome = ClientRegistrationRules.validate(request);
    assertThat(outcome).isInstanceOf(RegistrationRejected.class);
    return (RegistrationRejected) outcome;
  }

  private static void assertInvalidRedirect(String applicationType, String redirect) {
    RegistrationRejected rejected = rejected(request(applicationType, redirect));
    assertThat(rejected.kind()).isEqualTo(Kind.REDIRECT_URI);
    assertThat(rejected.field()).isEqualTo("redirect_uris");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/callback", "https://app.example.com/callback",
      "https://example.com:5173/?query=value"})
  void validWebRedirects(String redirect) {
    assertThat(accepted(request("web", redirect)).redirectUris()).containsExactly(redirect);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/callback#fragment", "http://example.com/callback", "http://localhost/"})
  void invalidWebRedirects(String redirect) {
    assertInvalidRedirect("web", redirect);
  }

  @ParameterizedTest
  @ValueSource(strings = {"com.example.app:/callback", "com.example:/", "com.example:callback",
      "http://localhost/callback", "http://127.0.0.1/callback", "http://[::1]/callback"})
  void validNativeRedirects(String redirect) {
    assertThat(accepted(request("native", redirect)).redirectUris()).containsExactly(redirect);
  }

  @ParameterizedTest
  @ValueSource(strings = {"example:/callback", "com.example.app://callback", "https://localhost/callback",
      "http://localhost:1234/callback"})
  void invalidNativeRedirects(String redirect) {
    assertInvalidRedirect("native", redirect);
  }

  @ParameterizedTest
  @ValueSource(strings = {"javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4=",
      "DATA:,x", "vbscript:msgbox", "file:///etc/passwd", "about:blank", "blob:https://example.com/uuid"})
  void clientRegisteringAScriptOrLocalContentRedirectIsRefused(String redirect) {
    // The review's attack: a single-label client URI named after the scheme makes it "reverse DNS" of itself.
    String scheme = redirect.substring(0, redirect.indexOf(':')).toLowerCase(Locale.ROOT);
    for (String clientUri : List.of("https://" + scheme + "/", "https://example.com/")) {
      for (String type : List.of("native", "web")) {
        assertThat(rejected(request(type, redirect).put("client_uri", clientUri)).kind())
            .as(type + " " + clientUri)
            .isEqualTo(Kind.REDIRECT_URI);
      }
    }
    assertThat(rejected(request("native", redirect)
        .put("client_uri", "https://" + scheme + "/")).reason()).contains("scheme is not allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://com/|com.evil:/cb", "https://com/|com:/cb", "https://localhost/|localhost:/cb",
      "https://127.0.0.1/|1.0.0.127:/cb", "https://[::1]/|app:/cb"})
  void clientClaimingASchemeWithATopLevelOrIpClientUriIsRefused(String pair) {
    String clientUri = pair.substring(0, pair.indexOf('|'));
    String redirect = pair.substring(pair.indexOf('|') + 1);
    assertThat(rejected(request("native", redirect).put("client_uri", clientUri)).kind())
        .isEqualTo(Kind.REDIRECT_URI);
    // Loopback and https redirects of such clients are still fine.
    assertThat(accepted(request("native", "http://127.0.0.1/cb").put("client_uri", clientUri))
        .redirectUris()).containsExactly("http://127.0.0.1/cb");
  }

  @Test
  void nativeClientsMayUseClaimedHttpsRedirectsOnTheirSite() {
    assertThat(accepted(request("native", "https://app.example.com/cb")).redirectUris())
        .containsExactly("https://app.example.com/cb");
  }

  @Test
  void clientUriIsRequiredHttpsAndWithoutCredentials() {
    assertThat(rejected(request("web", "https://example.com/cb").copy()
        .put("client_uri", null)).reason()).contains("client_uri is required");
    for (String bad : List.of("http://example.com/", "https://user:pw@example.com/", "not a uri")) {
      assertThat(rejected(request("web", "https://example.com/cb").copy()
          .put("client_uri", bad)).kind())
          .isEqualTo(Kind.CLIENT_METADATA);
    }
  }

  @Test
  void otherUrisShareTheClientUrisHostOrASubdomain() {
    ClientMetadata ok = accepted(request("web", "https://example.com/cb").copy()
        .put("logo_uri", "https://cdn.example.com/logo.png")
        .put("tos_uri", "https://example.com/tos")
        .put("policy_uri", "https://example.com/policy"));
    assertThat(ok.displayed()).containsKeys("logo_uri", "tos_uri", "policy_uri");
    for (String field : List.of("logo_uri", "tos_uri", "policy_uri")) {
      assertThat(rejected(request("web", "https://example.com/cb").copy()
          .put(field, "https://app.com/x")).kind())
          .isEqualTo(Kind.CLIENT_METADATA);
      rejected(request("web", "https://example.com/cb").copy()
          .put(field, "http://example.com/x"));
    }
    assertInvalidRedirect("web", "https://app.com/callback");
  }

  @Test
  void localizedFieldsAreKeptAndChosenByLanguage() {
    ClientMetadata metadata = accepted(request("web", "https://example.com/cb").copy()
        .put("client_name", "Digital mailbox")
        .put("client_name#en-GB", "Digital postbox")
        .put("client_name#fr", "Boîte aux lettres numérique")
        .put("tos_uri", "https://example.com/tos.html")
        .put("tos_uri#fr", "https://example.com/fr/tos.html"));
    assertThat(metadata.toJson().getString("client_name#fr")).isEqualTo("Boîte aux lettres numérique");
    assertThat(metadata.name(Locale.LanguageRange.parse("fr-FR,fr;q=0.9"))).isEqualTo("Boîte aux lettres numérique");
    assertThat(metadata.name(Locale.LanguageRange.parse("en-GB"))).isEqualTo("Digital postbox");
    assertThat(metadata.name(Locale.LanguageRange.parse("de"))).isEqualTo("Digital mailbox");
    assertThat(metadata.localized("tos_uri", Locale.LanguageRange.parse("fr"))).isEqualTo("https://example.com/fr/tos.html");
    rejected(request("web", "https://example.com/cb").copy()
        .put("tos_uri#fr", "https://evil.com/tos"));
  }

  @Test
  void clientRegisteringMoreThanTwentyVariantsOfOneFieldIsRefused() {
    JsonObject twenty = request("web", "https://example.com/cb");
    for (int i = 0; i < ClientRegistrationRules.MAX_VARIANTS_PER_FIELD; i++) {
      twenty.put("client_name#x-" + i, "name " + i).put("tos_uri#x-" + i, "https://example.com/tos/" + i);
    }
    assertThat(accepted(twenty).displayed()).hasSize(40);
    RegistrationRejected tooMany = rejected(twenty.copy().put("client_name#x-99", "one too many"));
    assertThat(tooMany.kind()).isEqualTo(Kind.CLIENT_METADATA);
    assertThat(tooMany.field()).isEqualTo("client_name");
    assertThat(tooMany.reason()).contains("client_name", "20");
    // The review's attack: tens of thousands of variants in one (unauthenticated) registration.
    JsonObject flood = request("web", "https://example.com/cb");
    for (int i = 0; i < 50_000; i++) {
      flood.put("client_name#x-" + i, "n");
    }
    assertThat(rejected(flood).kind())
        .isEqualTo(Kind.CLIENT_METADATA);
  }

  @Test
  void clientRegisteringMoreThan16KibOfMetadataIsRefused() {
    JsonObject big = request("web", "https://example.com/cb");
    for (int i = 0; i < 17; i++) {
      big.put("client_name#x-" + i, "n".repeat(1000));
    }
    RegistrationRejected tooBig = rejected(big);
    assertThat(tooBig.kind()).isEqualTo(Kind.CLIENT_METADATA);
    assertThat(tooBig.reason()).contains("16384");
    JsonArray manyRedirects = new JsonArray();
    for (int i = 0; i < 600; i++) {
      manyRedirects.add("https://example.com/callback/" + i);
    }
    assertThat(rejected(request("web").put("redirect_uris", manyRedirects)).kind())
        .isEqualTo(Kind.CLIENT_METADATA);
    JsonObject fits = request("web", "https://example.com/cb");
    for (int i = 0; i < 15; i++) {
      fits.put("client_name#x-" + i, "n".repeat(1000));
    }
    assertThat(accepted(fits).displayed()).hasSize(15);
  }

  @Test
  void clientStoredBeforeTheLimitWithThousandsOfVariantsIsReadWithTheFirstTwenty() {
    JsonObject stored = accepted(request("web", "https://example.com/cb")
        .put("client_name", "Default")).toJson();
    for (int i = 0; i < 5_000; i++) {
      stored.put("client_name#x-" + String.format("%04d", i), "n" + i);
    }
    ClientMetadata metadata = ClientMetadata.fromJson(stored);
    assertThat(metadata.displayed().keySet().stream().filter(k -> k.startsWith("client_name#"))).hasSize(20);
    assertThat(metadata.displayed()).containsEntry("client_name#x-0000", "n0").containsEntry("client_name", "Default")
        .doesNotContainKey("client_name#x-0020");
  }

  @Test
  void unknownGrantAndResponseTypesAreIgnored() {
    ClientMetadata metadata = accepted(request("web", "https://example.com/cb").copy()
        .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token")
            .add("urn:ietf:params:oauth:grant-type:token-exchange"))
        .put("response_types", new JsonArray().add("code").add("code id_token")));
    assertThat(metadata.grantTypes()).containsExactly("authorization_code", "refresh_token");
    assertThat(metadata.responseTypes()).containsExactly("code");
  }

  @Test
  void authorizationCodeNeedsARedirectAndTheCodeResponseType() {
    assertThat(rejected(request("web")).kind())
        .isEqualTo(Kind.REDIRECT_URI);
    assertThat(rejected(request("web", "https://example.com/cb").copy()
        .put("response_types", new JsonArray().add("token"))).kind())
        .isEqualTo(Kind.CLIENT_METADATA);
  }

  @Test
  void deviceCodeOnlyClientsNeedNoRedirect() {
    ClientMetadata metadata = accepted(new JsonObject()
        .put("client_uri", "https://example.com/")
        .put("token_endpoint_auth_method", "none")
        .put("grant_types", new JsonArray().add(GrantTypes.DEVICE_CODE).add("refresh_token")));
    assertThat(metadata.grantTypes()).containsExactly(GrantTypes.DEVICE_CODE, "refresh_token");
  }

  @Test
  void authMethodsAndKeys() {
    assertThat(accepted(request("web", "https://example.com/cb").copy()
        .remove("token_endpoint_auth_method") == null ? request("web", "https://example.com/cb")
        : request("web", "https://example.com/cb")).tokenEndpointAuthMethod()).isEqualTo("none");
    JsonObject noMethod = request("web", "https://example.com/cb");
    noMethod.remove("token_endpoint_auth_method");
    assertThat(accepted(noMethod).tokenEndpointAuthMethod()).isEqualTo("client_secret_basic");
    assertThat(rejected(request("web", "https://example.com/cb").copy()
        .put("token_endpoint_auth_method", "tls_client_auth")).reason()).contains("token_endpoint_auth_method");
    assertThat(rejected(request("web", "https://example.com/cb").copy()
        .put("token_endpoint_auth_method", "private_key_jwt")).reason()).contains("jwks");
    assertThat(rejected(request("web", "https://example.com/cb").copy()
        .put("jwks_uri", "https://example.com/jwks")).reason()).contains("jwks_uri is not supported");
  }

  @Test
  void wrongTypesAreInvalidMetadata() {
    assertThat(rejected(request("web", "https://example.com/cb").copy()
        .put("redirect_uris", "https://example.com/cb")).reason()).contains("redirect_uris must be an array");
    assertThat(rejected(request("web", "https://example.com/cb").copy()
        .put("client_name", 42)).reason()).contains("client_name must be a string");
    assertThat(rejected(request("desktop", "https://example.com/cb")).reason())
        .contains("application_type");
  }
}
