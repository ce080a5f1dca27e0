package org.gatehouse.auth.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules of dynamic client registration (RFC 7591 as profiled by MSC2966): an https {@code client_uri} that
 * every other URI shares a host with, strict redirect URIs per application type, localized display fields, and
 * grant and response types filtered to the ones this server understands.
 *
 * <p>Pure: {@link #validate} answers an {@link Outcome}, the metadata as it will be stored or the first rule the
 * request breaks ({@link RegistrationRejected}); the OAuth endpoint turns a refusal into its error.
 */
public final class ClientRegistrationRules {
  /** User-visible fields that may carry {@code #<language>} variants. */
  static final Set<String> DISPLAYED_FIELDS = Set.of("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri");
  private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  /** Schemes a redirect must never use (RFC 9700 §4.1): they run or read content instead of reaching the client. */
  /** Schemes no browser may be sent to with a credential (redirect URIs, the legacy SSO's redirectUrl). */
  public static final Set<String> DANGEROUS_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "about", "blob");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final int MAX_TEXT = 1000;
  /** Localized variants ({@code client_name#fr}, ...) one field may have: every page render looks through them. */
  public static final int MAX_VARIANTS_PER_FIELD = 20;
  /** The stored metadata, encoded as JSON, in UTF-8 bytes: each registration is a row kept for good. */
  public static final int MAX_METADATA_BYTES = 16 * 1024;

  private ClientRegistrationRules() {
  }

  /** What {@link #validate} decides. */
  public sealed interface Outcome permits Accepted, RegistrationRejected {
  }

  /** The request is acceptable; {@code metadata} is what is registered. */
  public record Accepted(ClientMetadata metadata) implements Outcome {
  }

  /**
   * Carries a refusal from deep inside the checks to {@link #validate}, which answers it; never leaves this class.
   * The checks stop at the first broken rule, and unwinding is the plain way to do that.
   */
  private static final class Refused extends RuntimeException {
    private final RegistrationRejected rejected;

    Refused(RegistrationRejected rejected) {
      super(rejected.reason(), null, false, false);
      this.rejected = rejected;
    }
  }

  private static Refused metadata(String field, String reason) {
    return new Refused(RegistrationRejected.metadata(field, reason));
  }

  private static Refused redirectUri(String reason) {
    return new Refused(RegistrationRejected.redirectUri(reason));
  }

  /** Validates a registration request: the metadata to register, or why it is refused. */
  public static Outcome validate(JsonObject request) {
    try {
      return new Accepted(check(request));
    } catch (Refused refused) {
      return refused.rejected;
    }
  }

  private static ClientMetadata check(JsonObject request) {
    String applicationType = optionalString(request, "application_type", "web");
    if (!applicationType.equals("web") && !applicationType.equals("native")) {
      throw metadata("application_type", "application_type must be web or native");
    }
    String clientUriText = optionalString(request, "client_uri", null);
    if (clientUriText == null) {
      throw metadata("client_uri", "client_uri is required");
    }
    URI clientUri = httpsUri("client_uri", clientUriText);
    String host = clientUri.getHost().toLowerCase(Locale.ROOT);

    Map<String, String> displayed = new TreeMap<>();
    Map<String, Integer> variants = new TreeMap<>();
    for (String key : request.fieldNames()) {
      int hash = key.indexOf('#');
      String base = hash < 0 ? key : key.substring(0, hash);
      if (!DISPLAYED_FIELDS.contains(base)) {
        continue;
      }
      if (hash >= 0 && !LANGUAGE_TAG.matcher(key.substring(hash + 1)).matches()) {
        throw metadata(key, key + ": not a valid language tag");
      }
      if (hash >= 0 && variants.merge(base, 1, Integer::sum) > MAX_VARIANTS_PER_FIELD) {
        throw metadata(base, base + " has more than " + MAX_VARIANTS_PER_FIELD
            + " localized variants");
      }
      String value = optionalString(request, key, null);
      if (value == null) {
        continue;
      }
      if (value.length() > MAX_TEXT) {
        throw metadata(key, key + " is too long");
      }
      if (base.endsWith("_uri")) {
        URI uri = httpsUri(key, value);
        requireSameSite(key, uri, host, false);
      }
      if (!key.equals("client_uri")) {
        displayed.put(key, value);
      }
    }

    List<String> grantTypes = knownOnly(request, "grant_types", List.of(GrantTypes.AUTHORIZATION_CODE),
        GrantTypes.SUPPORTED);
    List<String> responseTypes = knownOnly(request, "response_types", List.of("code"), List.of("code"));
    List<String> redirectUris = strings(request, "redirect_uris");
    if (grantTypes.isEmpty()) {
      throw metadata("grant_types", "grant_types has no grant type this server supports: "
          + String.join(", ", GrantTypes.SUPPORTED));
    }
    if (grantTypes.contains(GrantTypes.AUTHORIZATION_CODE)) {
      if (!responseTypes.contains("code")) {
        throw metadata("response_types", "the authorization_code grant needs the response type code");
      }
      if (redirectUris.isEmpty()) {
        throw redirectUri("redirect_uris needs at least one URI for the authorization_code grant");
      }
    }
    for (String redirect : redirectUris) {
      validateRedirectUri(redirect, applicationType, host);
    }

    String method = optionalString(request, "token_endpoint_auth_method", ClientMetadata.SECRET_BASIC);
    if (!ClientMetadata.AUTH_METHODS.contains(method)) {
      throw metadata("token_endpoint_auth_method", "token_endpoint_auth_method must be one of "
          + String.join(", ", ClientMetadata.AUTH_METHODS));
    }
    JsonObject jwks = null;
    if (request.getValue("jwks_uri") != null) {
      throw metadata("jwks_uri", "jwks_uri is not supported; register the keys inline as jwks");
    }
    if (method.equals(ClientMetadata.PRIVATE_KEY_JWT)) {
      if (!(request.getValue("jwks") instanceof JsonObject keys) || !(keys.getValue("keys") instanceof JsonArray list)
          || list.isEmpty()) {
        throw metadata("jwks", "private_key_jwt needs jwks with at least one public key");
      }
      ClientKeys.Parsed parsed = ClientKeys.publicOnly(keys);
      if (parsed instanceof ClientKeys.Unusable unusable) {
        throw metadata("jwks", unusable.reason());
      }
      jwks = ((ClientKeys.PublicKeys) parsed).jwks();
    }
    String idTokenAlg = optionalString(request, "id_token_signed_response_alg", null);
    if (idTokenAlg != null && !idTokenAlg.equals("ES256") && !idTokenAlg.equals("RS256")) {
      throw metadata("id_token_signed_response_alg", "id_token_signed_response_alg must be ES256 or RS256");
    }
    ClientMetadata metadata = new ClientMetadata(applicationType, clientUriText, redirectUris, responseTypes,
        grantTypes, method, jwks, idTokenAlg, displayed);
    if (metadata.toJson().encode().getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
      throw metadata(null, "the client metadata is larger than " + MAX_METADATA_BYTES + " bytes");
    }
    return metadata;
  }

  /** MSC2966's redirect URI rules for {@code applicationType}, relative to the client URI's host. */
  private static void validateRedirectUri(String text, String applicationType, String clientHost) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw redirectUri(text + " is not a valid URI");
    }
    if (uri.getScheme() == null) {
      throw redirectUri(text + " is not an absolute URI");
    }
    if (uri.getRawFragment() != null || text.contains("#")) {
      throw redirectUri(text + " must not have a fragment");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (DANGEROUS_SCHEMES.contains(scheme)) {
      throw redirectUri(text + ": the " + scheme + " scheme is not allowed for redirect URIs");
    }
    if (scheme.equals("https")) {
      requireNoUserInfo("redirect_uris", uri);
      requireSameSite("redirect_uris", uri, clientHost, true);
      return;
    }
    if (applicationType.equals("web")) {
      throw redirectUri(text + ": web clients must use https redirect URIs");
    }
    if (scheme.equals("http")) {
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      if (!LOOPBACK_HOSTS.contains(host)) {
        throw redirectUri(text + ": http redirect URIs must be on localhost, 127.0.0.1 or [::1]");
      }
      if (uri.getPort() != -1) {
        throw redirectUri(text + ": loopback redirect URIs must not have a port (any port is accepted)");
      }
      requireNoUserInfo("redirect_uris", uri);
      return;
    }
    // A private-use scheme: reverse DNS of the client URI's host, and no authority component. The host must be a
    // domain of at least two labels: a single label ("com", "javascript") would claim every scheme under it.
    List<String> labels = List.of(clientHost.split("\\.", -1));
    if (clientHost.startsWith("[") || IPV4.matcher(clientHost).matches() || labels.size() < 2
        || labels.contains("")) {
      throw redirectUri(text + ": a private-use scheme needs a client_uri on a domain name of at "
          + "least two labels, not " + clientHost);
    }
    String reversed = reverseDns(clientHost);
    if (!(scheme.equals(reversed) || scheme.startsWith(reversed + "."))) {
      throw redirectUri(text + ": a private-use scheme must start with " + reversed
          + " (the client URI's host in reverse-DNS notation)");
    }
    if (uri.getRawAuthority() != null || text.substring(scheme.length() + 1).startsWith("//")) {
      throw redirectUri(text + ": a private-use URI must not have an authority (use " + scheme
          + ":/path)");
    }
  }

  static String reverseDns(String host) {
    String[] labels = host.split("\\.");
    List<String> reversed = new ArrayList<>();
    for (int i = labels.length - 1; i >= 0; i--) {
      reversed.add(labels[i]);
    }
    return String.join(".", reversed);
  }

  private static URI httpsUri(String field, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw metadata(field, field + " is not a valid URI");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw metadata(field, field + " must be an https URL");
    }
    requireNoUserInfo(field, uri);
    return uri;
  }

  private static void requireNoUserInfo(String field, URI uri) {
    if (uri.getRawUserInfo() != null) {
      throw field.equals("redirect_uris") ? redirectUri(uri + " must not contain a user or password")
          : metadata(field, field + " must not contain a user or password");
    }
  }

  private static void requireSameSite(String field, URI uri, String clientHost, boolean redirect) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!host.equals(clientHost) && !host.endsWith("." + clientHost)) {
      String message = field + ": " + uri + " must be on " + clientHost + " or one of its subdomains";
      throw redirect ? redirectUri(message) : metadata(field, message);
    }
  }

  private static String optionalString(JsonObject request, String field, String fallback) {
    Object value = request.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw metadata(field, field + " must be a string");
    }
    return s;
  }

  private static List<String> strings(JsonObject request, String field) {
    Object value = request.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw metadata(field, field + " must be an array of strings");
    }
    List<String> result = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw metadata(field, field + " must be an array of strings");
      }
      if (!result.contains(s)) {
        result.add(s);
      }
    }
    return result;
  }

  private static List<String> knownOnly(JsonObject request, String field, List<String> fallback, List<String> known) {
    if (request.getValue(field) == null) {
      return fallback;
    }
    // RFC 7591 / MSC2966: types the server does not understand are ignored, not refused.
    return strings(request, field).stream().filter(known::contains).toList();
  }
}
