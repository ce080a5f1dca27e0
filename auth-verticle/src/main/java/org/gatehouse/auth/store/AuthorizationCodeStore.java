package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.util.Optional;
import org.gatehouse.auth.domain.CodeGrant;

/** Authorization codes, looked up by their SHA-256 digest only. */
public interface AuthorizationCodeStore {
  /** Stores a new, pending code. */
  Future<Void> insert(CodeGrant code);

  /** The code, read without locking it (to prepare what its exchange needs, before the exchange itself). */
  Future<Optional<CodeGrant>> find(byte[] codeHash);

  /** The code, locked until the end of the {@link Transaction} this is called in. */
  Future<Optional<CodeGrant>> lock(byte[] codeHash);

  /** Stores the exchange of a code: {@code code} is in the {@link CodeGrant.Exchanged} state. */
  Future<Void> markExchanged(CodeGrant code);
}
