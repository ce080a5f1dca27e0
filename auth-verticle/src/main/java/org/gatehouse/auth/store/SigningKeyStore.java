package org.gatehouse.auth.store;

import com.nimbusds.jose.jwk.JWK;
import io.vertx.core.Future;
import java.util.List;

/** Signing keys kept in the database (when no keys file is configured). */
public interface SigningKeyStore {
  /** Active keys, oldest first, so every node picks the same signing key per algorithm. */
  Future<List<JWK>> active();

  Future<Void> add(JWK key);
}
