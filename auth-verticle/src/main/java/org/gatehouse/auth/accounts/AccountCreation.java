package org.gatehouse.auth.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.http.MatrixError;

/**
 * Creates accounts with a password (argon2id) or an imported bcrypt hash; used by the command line and the
 * admin API. Hashing runs on a worker thread.
 */
public final class AccountCreation {
  public static final int MIN_PASSWORD = 8;

  private final Vertx vertx;
  private final UserStore users;
  private final PasswordHasher hasher;

  public AccountCreation(Vertx vertx, UserStore users, PasswordHasher hasher) {
    this.vertx = vertx;
    this.users = users;
    this.hasher = hasher;
  }

  /** Creates {@code localpart}; fails with a Matrix error ({@code M_INVALID_USERNAME}, {@code M_USER_IN_USE}, ...). */
  public Future<User> create(String localpart, String password, boolean admin) {
    if (!UserIds.isValidLocalpart(localpart)) {
      return Future.failedFuture(new MatrixError(400, "M_INVALID_USERNAME",
          "User names use lower-case letters, digits and . _ = - / + only"));
    }
    if (password != null && password.length() < MIN_PASSWORD) {
      return Future.failedFuture(new MatrixError(400, "M_WEAK_PASSWORD",
          "The password needs at least " + MIN_PASSWORD + " characters"));
    }
    Future<String> hash = password == null ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> hasher.hash(password), false);
    return hash.compose(h -> users.create(localpart, h, admin, null))
        .recover(failure -> failure instanceof UserStore.DuplicateException
            ? Future.failedFuture(new MatrixError(400, "M_USER_IN_USE", "User " + localpart + " already exists"))
            : Future.failedFuture(failure));
  }

  /** Creates {@code localpart} with an existing argon2id or bcrypt hash (migration from another server). */
  public Future<User> importHash(String localpart, String encodedHash, boolean admin) {
    if (!PasswordHasher.isSupportedHash(encodedHash)) {
      return Future.failedFuture(MatrixError.invalidParam("Only argon2id and bcrypt password hashes can be imported"));
    }
    if (!UserIds.isValidLocalpart(localpart)) {
      return Future.failedFuture(new MatrixError(400, "M_INVALID_USERNAME",
          "User names use lower-case letters, digits and . _ = - / + only"));
    }
    return users.create(localpart, encodedHash, admin, null)
        .recover(failure -> failure instanceof UserStore.DuplicateException
            ? Future.failedFuture(new MatrixError(400, "M_USER_IN_USE", "User " + localpart + " already exists"))
            : Future.failedFuture(failure));
  }
}
