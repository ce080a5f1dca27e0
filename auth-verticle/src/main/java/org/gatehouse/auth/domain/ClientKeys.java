package org.gatehouse.auth.domain;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import org.gatehouse.auth.oauth.OAuthError;

/** The public keys a {@code private_key_jwt} client signs its assertions with. */
public final class ClientKeys {
  private ClientKeys() {
  }

  /** Parses a JWKS and keeps only public parts: a client that sent private keys by mistake must not have them stored. */
  public static JsonObject publicOnly(JsonObject jwks) {
    try {
      JWKSet set = JWKSet.parse(jwks.encode());
      if (set.getKeys().isEmpty()) {
        throw OAuthError.invalidClientMetadata("jwks has no keys");
      }
      return new JsonObject(set.toPublicJWKSet().toString(false));
    } catch (ParseException e) {
      throw OAuthError.invalidClientMetadata("jwks is not a valid JSON Web Key Set: " + e.getMessage());
    }
  }

  public static JWKSet parse(JsonObject jwks) {
    try {
      return JWKSet.parse(jwks.encode());
    } catch (ParseException e) {
      throw new IllegalStateException("stored jwks cannot be parsed", e);
    }
  }
}
