package org.gatehouse.auth.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registered metadata of an OAuth client, as validated by {@link ClientRegistrationRules}: what is stored,
 * returned from registration and shown to the user. Unknown fields, grant types and response types are gone.
 *
 * @param displayed the user-visible values and their localized variants, keyed as registered
 *     ({@code client_name}, {@code client_name#fr}, {@code logo_uri}, {@code tos_uri}, {@code policy_uri})
 */
public record ClientMetadata(
    String applicationType,
    String clientUri,
    List<String> redirectUris,
    List<String> responseTypes,
    List<String> grantTypes,
    String tokenEndpointAuthMethod,
    JsonObject jwks,
    String idTokenSignedResponseAlg,
    Map<String, String> displayed) {

  public static final String NONE = "none";
  public static final String SECRET_BASIC = "client_secret_basic";
  public static final String SECRET_POST = "client_secret_post";
  public static final String PRIVATE_KEY_JWT = "private_key_jwt";
  public static final List<String> AUTH_METHODS = List.of(NONE, SECRET_BASIC, SECRET_POST, PRIVATE_KEY_JWT);

  public ClientMetadata {
    redirectUris = List.copyOf(redirectUris);
    responseTypes = List.copyOf(responseTypes);
    grantTypes = List.copyOf(grantTypes);
    displayed = Map.copyOf(new TreeMap<>(displayed));
  }

  public boolean isPublic() {
    return NONE.equals(tokenEndpointAuthMethod);
  }

  public boolean usesSecret() {
    return SECRET_BASIC.equals(tokenEndpointAuthMethod) || SECRET_POST.equals(tokenEndpointAuthMethod);
  }

  public boolean allowsGrant(String grantType) {
    return grantTypes.contains(grantType);
  }

  /** The client's name in the first of {@code languages} it has, else its default name, else its URI. */
  public String name(List<Locale.LanguageRange> languages) {
    String name = localized("client_name", languages);
    return name != null ? name : clientUri;
  }

  /** A user-visible value ({@code logo_uri}, {@code tos_uri}, ...) in the best language available. */
  public String localized(String field, List<Locale.LanguageRange> languages) {
    if (languages.isEmpty()) {
      return displayed.get(field);
    }
    // At most MAX_VARIANTS_PER_FIELD variants times the few ranges AcceptLanguage keeps.
    String prefix = field + "#";
    List<Map.Entry<String, String>> variants = displayed.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix)).toList();
    for (Locale.LanguageRange range : languages) {
      for (Map.Entry<String, String> e : variants) {
        String tag = e.getKey().substring(prefix.length());
        if (Locale.filterTags(List.of(range), List.of(tag.toLowerCase(Locale.ROOT))).size() == 1) {
          return e.getValue();
        }
      }
    }
    return displayed.get(field);
  }

  /** The metadata as stored and as returned by the registration endpoint (with no credentials). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("application_type", applicationType)
        .put("client_uri", clientUri)
        .put("redirect_uris", new JsonArray(redirectUris))
        .put("response_types", new JsonArray(responseTypes))
        .put("grant_types", new JsonArray(grantTypes))
        .put("token_endpoint_auth_method", tokenEndpointAuthMethod);
    if (jwks != null) {
      json.put("jwks", jwks.copy());
    }
    if (idTokenSignedResponseAlg != null) {
      json.put("id_token_signed_response_alg", idTokenSignedResponseAlg);
    }
    displayed.forEach(json::put);
    return json;
  }

  public static ClientMetadata fromJson(JsonObject json) {
    Map<String, String> displayed = new TreeMap<>();
    Map<String, Integer> variants = new TreeMap<>();
    // In key order, so that a row registered before the variant limit keeps the same (first) variants everywhere.
    for (String key : new TreeMap<>(json.getMap()).keySet()) {
      String base = key.contains("#") ? key.substring(0, key.indexOf('#')) : key;
      if (!ClientRegistrationRules.DISPLAYED_FIELDS.contains(base) || key.equals("client_uri")) {
        continue;
      }
      if (key.contains("#")
          && variants.merge(base, 1, Integer::sum) > ClientRegistrationRules.MAX_VARIANTS_PER_FIELD) {
        continue;
      }
      displayed.put(key, json.getString(key));
    }
    return new ClientMetadata(
        json.getString("application_type", "web"),
        json.getString("client_uri"),
        strings(json.getJsonArray("redirect_uris")),
        strings(json.getJsonArray("response_types")),
        strings(json.getJsonArray("grant_types")),
        json.getString("token_endpoint_auth_method"),
        json.getJsonObject("jwks"),
        json.getString("id_token_signed_response_alg"),
        displayed);
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }
}
