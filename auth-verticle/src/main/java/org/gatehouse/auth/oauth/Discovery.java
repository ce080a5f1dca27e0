package org.gatehouse.auth.oauth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.auth.crypto.SigningKeys;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.common.module.NodeSettings;

/**
 * The authorization server metadata (RFC 8414, MSC2965): one document served at the Matrix path, its unstable
 * path and the two well-known paths standard OAuth libraries look under. Built once at start.
 */
public final class Discovery {
  /** Extra fields other parts of the module contribute (device grant, account management). */
  public interface Contributor {
    void contribute(JsonObject metadata);
  }

  private final JsonObject metadata;

  public Discovery(String issuer, NodeSettings node, boolean selfRegistration, List<Contributor> contributors) {
    List<String> prompts = new ArrayList<>(List.of("none", "login", "consent"));
    if (selfRegistration) {
      prompts.add("create");
    }
    JsonArray clientAuth = new JsonArray(ClientMetadata.AUTH_METHODS);
    JsonArray confidentialAuth = new JsonArray(List.of(ClientMetadata.SECRET_BASIC, ClientMetadata.SECRET_POST,
        ClientMetadata.PRIVATE_KEY_JWT));
    // What ClientAuthenticator verifies with the RSA and EC keys registration accepts; no EdDSA (see ClientKeys).
    JsonArray assertionAlgs = new JsonArray(List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
        "ES384", "ES512"));
    metadata = new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", node.url(AuthPaths.AUTHORIZE))
        .put("token_endpoint", node.url(AuthPaths.TOKEN))
        .put("revocation_endpoint", node.url(AuthPaths.REVOKE))
        .put("introspection_endpoint", node.url(AuthPaths.INTROSPECT))
        .put("registration_endpoint", node.url(AuthPaths.REGISTER))
        .put("jwks_uri", node.url(AuthPaths.JWKS))
        .put("userinfo_endpoint", node.url(AuthPaths.USERINFO))
        .put("response_types_supported", new JsonArray(List.of("code")))
        .put("response_modes_supported", new JsonArray(List.of("query", "fragment")))
        .put("grant_types_supported", new JsonArray(List.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN)))
        .put("code_challenge_methods_supported", new JsonArray(List.of("S256")))
        .put("token_endpoint_auth_methods_supported", clientAuth)
        .put("token_endpoint_auth_signing_alg_values_supported", assertionAlgs)
        .put("revocation_endpoint_auth_methods_supported", clientAuth)
        .put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgs)
        .put("introspection_endpoint_auth_methods_supported", confidentialAuth)
        .put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgs)
        .put("scopes_supported", new JsonArray(Scope.SUPPORTED))
        .put("subject_types_supported", new JsonArray(List.of("public")))
        .put("id_token_signing_alg_values_supported", new JsonArray(SigningKeys.ALGORITHMS))
        .put("userinfo_signing_alg_values_supported", new JsonArray(SigningKeys.ALGORITHMS))
        .put("claims_supported", new JsonArray(List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash")))
        .put("claim_types_supported", new JsonArray(List.of("normal")))
        .put("prompt_values_supported", new JsonArray(prompts))
        .put("authorization_response_iss_parameter_supported", true)
        .put("request_parameter_supported", false)
        .put("request_uri_parameter_supported", false)
        .put("claims_parameter_supported", false);
    contributors.forEach(c -> c.contribute(metadata));
  }

  public JsonObject metadata() {
    return metadata.copy();
  }

  public void mount(Router router) {
    String body = metadata.encode();
    for (String path : AuthPaths.METADATA) {
      router.get(path).handler(ctx -> ctx.response()
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "public, max-age=300")
          .end(body));
    }
  }
}
