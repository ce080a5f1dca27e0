package org.gatehouse.auth.crypto;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gatehouse.auth.store.SigningKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the signing keys come from: a JWKS file of private keys when configured (the operator rotates by
 * editing it), otherwise the database, where a key per algorithm is generated on the very first start and kept.
 */
public final class SigningKeyLoader {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeyLoader.class);

  private SigningKeyLoader() {
  }

  public static Future<SigningKeys> load(Vertx vertx, Optional<Path> file, SigningKeyStore store) {
    if (file.isPresent()) {
      return vertx.fileSystem().readFile(file.get().toString())
          .map(buffer -> {
            try {
              return new SigningKeys(JWKSet.parse(buffer.toString()).getKeys());
            } catch (java.text.ParseException | IllegalArgumentException e) {
              throw new IllegalStateException("auth.signing.keys_file " + file.get() + ": " + e.getMessage());
            }
          });
    }
    return store.active().compose(keys -> {
      List<Future<Void>> added = new ArrayList<>();
      for (String alg : SigningKeys.ALGORITHMS) {
        if (keys.stream().noneMatch(k -> alg.equals(String.valueOf(k.getAlgorithm())))) {
          // Nodes starting together may each add one; all are published, the oldest signs. RSA key generation
          // takes a noticeable moment, so it runs off the event loop.
          added.add(vertx.executeBlocking(() -> SigningKeys.generate(alg), false)
              .onSuccess(key -> LOG.info("generated signing key {} ({})", key.getKeyID(), alg))
              .compose(store::add));
        }
      }
      return added.isEmpty() ? Future.succeededFuture(new SigningKeys(keys))
          : Future.all(added).compose(done -> store.active()).map(SigningKeys::new);
    });
  }
}
