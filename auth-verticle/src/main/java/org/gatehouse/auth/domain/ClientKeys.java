package org.gatehouse.auth.domain;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;

/** The public keys a {@code private_key_jwt} client signs its assertions with. */
public final class ClientKeys {
  private ClientKeys() {
  }

  /** What {@link #publicOnly} finds in a JWKS. */
  public sealed interface Parsed permits PublicKeys, Unusable {
  }

  /** The public parts of usable keys, as a JWKS to store. */
  public record PublicKeys(JsonObject jwks) implements Parsed {
  }

  /** The JWKS cannot be used, and why (for the client's developer). */
  public record Unusable(String reason) implements Parsed {
  }

  /**
   * Parses a JWKS and keeps only public parts: a client that sent private keys by mistake must not have them stored.
   * Only RSA and EC keys verify assertions here: an Ed25519 (OKP) key is refused rather than stored and then never
   * verified (nimbus-jose-jwt verifies EdDSA only with Google Tink, which is not on the class path).
   */
  public static Parsed publicOnly(JsonObject jwks) {
    try {
      JWKSet set = JWKSet.parse(jwks.encode());
      if (set.getKeys().isEmpty()) {
        return new Unusable("jwks has no keys");
      }
      for (JWK key : set.getKeys()) {
        if (!KeyType.RSA.equals(key.getKeyType()) && !KeyType.EC.equals(key.getKeyType())) {
          return new Unusable("jwks: " + key.getKeyType() + " keys are not supported; use RSA or EC "
              + "keys (RS256, PS256, ES256, ...)");
        }
      }
      return new PublicKeys(new JsonObject(set.toPublicJWKSet().toString(false)));
    } catch (ParseException e) {
      return new Unusable("jwks is not a valid JSON Web Key Set: " + e.getMessage());
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
