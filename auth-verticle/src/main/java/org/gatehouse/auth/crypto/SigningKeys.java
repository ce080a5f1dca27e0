package org.gatehouse.auth.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The keys that sign ID tokens. All of them are published in the JWKS, so a new key can be added before it
 * signs anything and an old one kept until tokens it signed have expired: that is how keys rotate. For each
 * algorithm the first key in the list signs.
 */
public final class SigningKeys {
  public static final List<String> ALGORITHMS = List.of("ES256", "RS256");

  private final List<JWK> keys;

  public SigningKeys(List<JWK> keys) {
    for (String alg : ALGORITHMS) {
      if (keys.stream().noneMatch(k -> alg.equals(String.valueOf(k.getAlgorithm())))) {
        throw new IllegalArgumentException("no signing key for " + alg);
      }
    }
    for (JWK key : keys) {
      if (!key.isPrivate() || key.getKeyID() == null) {
        throw new IllegalArgumentException("signing key " + key.getKeyID() + " must be a private key with a kid");
      }
    }
    this.keys = List.copyOf(keys);
  }

  /** A fresh private key for {@code alg}. */
  public static JWK generate(String alg) {
    try {
      String kid = alg.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
      return switch (alg) {
        case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE)
            .generate();
        case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE)
            .generate();
        default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
      };
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a " + alg + " key", e);
    }
  }

  /** The public keys, for {@code jwks_uri}. */
  public Map<String, Object> publicJwks() {
    return new JWKSet(keys).toPublicJWKSet().toJSONObject(true);
  }

  /** Signs {@code claims} with the current key of {@code alg}. */
  public String sign(JWTClaimsSet claims, String alg) {
    JWK key = keys.stream().filter(k -> alg.equals(String.valueOf(k.getAlgorithm()))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no key for " + alg));
    try {
      JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign with " + key.getKeyID(), e);
    }
  }
}
